export { buildCompany } from './company.js';
export type { Company, CompanyOptions, JmlEvent, NonPersonAccount, PersonState } from './company.js';
export type { Person } from './roster.js';

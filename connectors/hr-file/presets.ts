/**
 * Column headers of the employee exports HR systems produce. A preset lists, per field, the headers that
 * system's export uses (several where its report builder offers more than one label). Matching ignores
 * case and surrounding spaces. Sources: BambooHR's field list (documentation.bamboohr.com "List of field
 * names": Employee #, Work Email, Hire Date, Termination Date, Supervisor; reports write MM/DD/YYYY);
 * the others are best guesses from the systems' report builders and help pages, marked in the README.
 */
export const presetIds = ['bamboohr', 'rippling', 'gusto', 'hibob', 'personio', 'deel'] as const;
export type PresetId = (typeof presetIds)[number];

export interface Preset {
  readonly id: PresetId;
  readonly title: string;
  /** Whether the headers were checked against the vendor's documentation or are a best guess. */
  readonly confirmed: boolean;
  readonly dateFormat: 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'DD/MM/YYYY' | 'DD.MM.YYYY';
  readonly columns: {
    readonly employeeId: readonly string[];
    readonly email: readonly string[];
    /** Either a full-name column or first and last name columns. */
    readonly name?: readonly string[];
    readonly firstName?: readonly string[];
    readonly lastName?: readonly string[];
    readonly startDate: readonly string[];
    readonly endDate: readonly string[];
    readonly status: readonly string[];
    readonly department: readonly string[];
    readonly manager: readonly string[];
    readonly jobTitle: readonly string[];
  };
}

export const presets: readonly Preset[] = [
  {
    id: 'bamboohr',
    title: 'BambooHR',
    confirmed: true,
    dateFormat: 'MM/DD/YYYY',
    columns: {
      employeeId: ['Employee #', 'Employee Number', 'EEID'],
      email: ['Work Email'],
      firstName: ['First Name'],
      lastName: ['Last Name'],
      startDate: ['Hire Date', 'Original Hire Date'],
      endDate: ['Termination Date'],
      status: ['Status', 'Employment Status'],
      department: ['Department'],
      manager: ['Supervisor', 'Reporting to', 'Supervisor Email'],
      jobTitle: ['Job Title'],
    },
  },
  {
    id: 'rippling',
    title: 'Rippling',
    confirmed: false,
    dateFormat: 'MM/DD/YYYY',
    columns: {
      employeeId: ['Employee ID', 'Employee number'],
      email: ['Work email'],
      name: ['Full name', 'Legal full name'],
      startDate: ['Start date'],
      endDate: ['End date', 'Termination date'],
      status: ['Employment status', 'Role state'],
      department: ['Department'],
      manager: ['Manager', 'Manager work email'],
      jobTitle: ['Title', 'Job title'],
    },
  },
  {
    id: 'gusto',
    title: 'Gusto',
    confirmed: false,
    dateFormat: 'MM/DD/YYYY',
    columns: {
      employeeId: ['Employee UUID', 'Employee ID'],
      email: ['Work email', 'Work Email'],
      firstName: ['First name'],
      lastName: ['Last name'],
      startDate: ['Hire date', 'Start date'],
      endDate: ['Termination date', 'Dismissal date'],
      status: ['Employment status', 'Status'],
      department: ['Department'],
      manager: ['Manager', 'Manager name'],
      jobTitle: ['Job title'],
    },
  },
  {
    id: 'hibob',
    title: 'HiBob',
    confirmed: false,
    dateFormat: 'DD/MM/YYYY',
    columns: {
      employeeId: ['Employee ID', 'ID'],
      email: ['Email', 'Work email'],
      name: ['Display name', 'Full name'],
      startDate: ['Start date'],
      endDate: ['Termination date'],
      status: ['Lifecycle status', 'Status'],
      department: ['Department'],
      manager: ['Reports to', 'Direct manager'],
      jobTitle: ['Job title'],
    },
  },
  {
    id: 'personio',
    title: 'Personio',
    confirmed: false,
    dateFormat: 'DD.MM.YYYY',
    columns: {
      employeeId: ['ID', 'Employee ID'],
      email: ['Email'],
      firstName: ['First name'],
      lastName: ['Last name'],
      startDate: ['Hire date'],
      endDate: ['Termination date', 'Contract end date'],
      status: ['Status'],
      department: ['Department'],
      manager: ['Supervisor'],
      jobTitle: ['Position'],
    },
  },
  {
    id: 'deel',
    title: 'Deel',
    confirmed: false,
    dateFormat: 'YYYY-MM-DD',
    columns: {
      employeeId: ['Worker ID', 'Employee ID'],
      email: ['Work email', 'Email'],
      name: ['Worker name', 'Full name', 'Name'],
      startDate: ['Start date', 'Contract start date'],
      endDate: ['End date', 'Contract end date', 'Termination date'],
      status: ['Status', 'Contract status'],
      department: ['Department', 'Team'],
      manager: ['Manager', 'Direct manager'],
      jobTitle: ['Job title', 'Title'],
    },
  },
];

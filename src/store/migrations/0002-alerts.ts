import type { Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

// Reserved for its issue; filled in by the change that needs the tables.
export async function up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {}

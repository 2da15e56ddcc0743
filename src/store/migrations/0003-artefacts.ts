import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/** The ISO artefact register: each row points at a file in the content-addressed locker by its SHA-256. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('artefacts')
    .ifNotExists()
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('period_label', 'text', (column) => column.notNull())
    .addColumn('period_start', sql.raw(big), (column) => column.notNull())
    .addColumn('period_end', sql.raw(big), (column) => column.notNull())
    .addColumn('owner', 'text')
    .addColumn('original_name', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('name_conforms', 'integer', (column) => column.notNull())
    .addColumn('sha256', 'text', (column) => column.notNull())
    .addColumn('bytes', sql.raw(big), (column) => column.notNull())
    .addColumn('criteria', 'text', (column) => column.notNull())
    .addColumn('added_at', sql.raw(big), (column) => column.notNull())
    .addUniqueConstraint('artefacts_type_period_sha', ['type', 'period_label', 'sha256'])
    .execute();
  await db.schema
    .createIndex('artefacts_period')
    .ifNotExists()
    .on('artefacts')
    .columns(['period_start', 'period_end'])
    .execute();
}

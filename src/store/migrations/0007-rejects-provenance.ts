import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/**
 * Rejects carry their provenance: kind (record, file, conflicting duplicate), source (file and record index,
 * API page), the SHA-256 of the raw bytes, the other version's hash for a conflicting duplicate, and the
 * window of the run, so the package lists a period's rejects without reading the ledger. Older rows take
 * their window from their run and their hash from the raw text they kept.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  await db.schema
    .alterTable('rejects')
    .addColumn('kind', 'text', (column) => column.notNull().defaultTo('record'))
    .execute();
  await db.schema
    .alterTable('rejects')
    .addColumn('source', 'text', (column) => column.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('rejects')
    .addColumn('raw_sha256', 'text', (column) => column.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('rejects').addColumn('other_sha256', 'text').execute();
  await db.schema.alterTable('rejects').addColumn('occurred_at', big).execute();
  await db.schema
    .alterTable('rejects')
    .addColumn('window_start', big, (column) => column.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('rejects')
    .addColumn('window_end', big, (column) => column.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE rejects SET
      window_start = COALESCE((SELECT r.window_start FROM runs r WHERE r.id = rejects.run_id), 0),
      window_end = COALESCE((SELECT r.window_end FROM runs r WHERE r.id = rejects.run_id), 0)`.execute(db);
  const old = await sql<{ id: number; raw: string }>`SELECT id, raw FROM rejects`.execute(db);
  for (const row of old.rows) {
    const hash = createHash('sha256').update(row.raw, 'utf8').digest('hex');
    await sql`UPDATE rejects SET raw_sha256 = ${hash} WHERE id = ${row.id}`.execute(db);
  }
  await db.schema
    .createIndex('rejects_stream_window')
    .ifNotExists()
    .on('rejects')
    .columns(['stream', 'window_start', 'window_end'])
    .execute();
}

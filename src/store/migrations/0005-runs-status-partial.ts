import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/**
 * Two partial indexes for the continuity report: succeeded windows by (stream, window_start), covering the
 * window end, so the coverage merge reads only index entries; and the unsuccessful attempts alone, in scan
 * order, so finding why a window is uncovered never walks the succeeded rows. The status values are
 * literals: a query names them the same way, or a planner cannot prove it may use the index.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('runs_succeeded_windows')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'window_start', 'window_end'])
    .where(sql.ref('status'), '=', sql.lit('succeeded'))
    .execute();
  await db.schema
    .createIndex('runs_unsuccessful')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'window_start', 'id'])
    .where(sql.ref('status'), '<>', sql.lit('succeeded'))
    .execute();
}

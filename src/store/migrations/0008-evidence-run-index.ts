import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/**
 * Items by the run that stored them: verify-store and the continuity report compare each succeeded run's
 * recorded count with the rows that still carry its id, one index probe per run (deleted evidence shows).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('evidence_items_run')
    .ifNotExists()
    .on('evidence_items')
    .column('run_id')
    .execute();
  // The succeeded runs with their recorded counts, in scan order: the continuity report's per-run check
  // reads index entries only (test/continuity/ledger-plans.test.ts).
  await db.schema
    .createIndex('runs_succeeded_counts')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'window_start', 'window_end', 'id', 'started_at', 'items_new', 'items_changed'])
    .where(sql.ref('status'), '=', sql.lit('succeeded'))
    .execute();
}

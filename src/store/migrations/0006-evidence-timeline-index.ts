import type { Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/**
 * The (stream, occurred_at) index widened to cover what the continuity report counts per bucket: with `id`
 * next, it still yields a stream's items in (occurred_at, id) order for the population's keyset pages, and
 * with `quiet` and `exception_count` the report's counts read index entries only, never the payload rows.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('evidence_items_timeline')
    .ifNotExists()
    .on('evidence_items')
    .columns(['stream', 'occurred_at', 'id', 'quiet', 'exception_count'])
    .execute();
  await db.schema.dropIndex('evidence_items_occurred').ifExists().execute();
}

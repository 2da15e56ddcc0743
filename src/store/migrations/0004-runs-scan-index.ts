import type { Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/** The continuity scan reads runs by (stream, window_start, id): one index serves it without a sort. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('runs_stream_window_id')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'window_start', 'id'])
    .execute();
}

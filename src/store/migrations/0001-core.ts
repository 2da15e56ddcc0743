import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('evidence_items')
    .ifNotExists()
    .addColumn('id', sql.raw(id), (column) =>
      dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
    )
    .addColumn('stream', 'text', (column) => column.notNull())
    .addColumn('item_key', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('seq', sql.raw(big), (column) => column.notNull())
    .addColumn('occurred_at', sql.raw(big), (column) => column.notNull())
    .addColumn('collected_at', sql.raw(big), (column) => column.notNull())
    .addColumn('run_id', 'text', (column) => column.notNull())
    .addColumn('criteria', 'text', (column) => column.notNull())
    .addColumn('iso_controls', 'text', (column) => column.notNull())
    .addColumn('payload', 'text', (column) => column.notNull())
    .addColumn('payload_sha256', 'text', (column) => column.notNull())
    .addColumn('exceptions', 'text', (column) => column.notNull())
    .addColumn('exception_count', 'integer', (column) => column.notNull())
    .addColumn('quiet', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('prev_hash', 'text', (column) => column.notNull())
    .addColumn('row_hash', 'text', (column) => column.notNull())
    .addUniqueConstraint('evidence_items_key_version', ['stream', 'item_key', 'version'])
    .addUniqueConstraint('evidence_items_chain', ['stream', 'seq'])
    .execute();
  await db.schema
    .createIndex('evidence_items_occurred')
    .ifNotExists()
    .on('evidence_items')
    .columns(['stream', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('chain_heads')
    .ifNotExists()
    .addColumn('stream', 'text', (column) => column.primaryKey())
    .addColumn('seq', sql.raw(big), (column) => column.notNull())
    .addColumn('hash', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('runs')
    .ifNotExists()
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('stream', 'text', (column) => column.notNull())
    .addColumn('window_start', sql.raw(big), (column) => column.notNull())
    .addColumn('window_end', sql.raw(big), (column) => column.notNull())
    .addColumn('trigger', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempt', 'integer', (column) => column.notNull())
    .addColumn('job_id', 'text')
    .addColumn('items_new', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('items_unchanged', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('items_changed', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('items_skipped', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('started_at', sql.raw(big), (column) => column.notNull())
    .addColumn('finished_at', sql.raw(big))
    .execute();
  await db.schema
    .createIndex('runs_stream_window')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'window_start'])
    .execute();
  await db.schema
    .createIndex('runs_status')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'status', 'window_end'])
    .execute();

  await db.schema
    .createTable('stream_state')
    .ifNotExists()
    .addColumn('stream', 'text', (column) => column.primaryKey())
    .addColumn('watermark', sql.raw(big))
    .addColumn('cursor', 'text')
    .addColumn('updated_at', sql.raw(big), (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('rejects')
    .ifNotExists()
    .addColumn('id', sql.raw(id), (column) =>
      dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
    )
    .addColumn('stream', 'text', (column) => column.notNull())
    .addColumn('run_id', 'text', (column) => column.notNull())
    .addColumn('item_key', 'text')
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('raw', 'text', (column) => column.notNull())
    .addColumn('rejected_at', sql.raw(big), (column) => column.notNull())
    .execute();
}

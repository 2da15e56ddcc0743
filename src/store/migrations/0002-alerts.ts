import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';

/**
 * Alert state of the continuity checker: one row per alert episode (open while closed_at is null, at most
 * one open per stream and kind), and an outbox of notifications so a restart neither repeats nor forgets one.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('alerts')
    .ifNotExists()
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('stream', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('message', 'text', (column) => column.notNull())
    .addColumn('detail', 'text', (column) => column.notNull())
    .addColumn('opened_at', sql.raw(big), (column) => column.notNull())
    .addColumn('last_notified_at', sql.raw(big), (column) => column.notNull())
    .addColumn('reminders', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('closed_at', sql.raw(big))
    .execute();
  // Two checkers (several instances) cannot both open the same alert.
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open ON alerts (stream, kind) WHERE closed_at IS NULL`.execute(
    db,
  );

  await db.schema
    .createTable('alert_notifications')
    .ifNotExists()
    .addColumn('id', sql.raw(id), (column) =>
      dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
    )
    .addColumn('alert_id', 'text', (column) => column.notNull())
    .addColumn('stream', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('event', 'text', (column) => column.notNull())
    .addColumn('seq', 'integer', (column) => column.notNull())
    .addColumn('message', 'text', (column) => column.notNull())
    .addColumn('created_at', sql.raw(big), (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', sql.raw(big), (column) => column.notNull())
    .addColumn('delivered_at', sql.raw(big))
    .addColumn('last_error', 'text')
    .addUniqueConstraint('alert_notifications_once', ['alert_id', 'event', 'seq'])
    .execute();
  await db.schema
    .createIndex('alert_notifications_pending')
    .ifNotExists()
    .on('alert_notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  // The checker reads each stream's latest runs by start time.
  await db.schema
    .createIndex('runs_stream_started')
    .ifNotExists()
    .on('runs')
    .columns(['stream', 'started_at'])
    .execute();
}

import { sql, type Kysely } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';

/** An alert as the operator surface shows it. */
export interface OpenAlert {
  readonly stream: string | null;
  readonly kind: string;
  readonly message: string;
  readonly openedAt: number | null;
}

/** The columns this module reads of the continuity checker's `alerts` table (migration 0002). */
interface AlertsTable {
  stream: string;
  kind: string;
  message: string;
  opened_at: number;
  closed_at: number | null;
}

const OPEN_LIMIT = 500;

/** Whether `alerts` exists in this store's own schema (PostgreSQL test stores share one database). */
async function hasAlertsTable(store: EvidenceStore): Promise<boolean> {
  const query =
    store.dialect === 'postgres'
      ? sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name = 'alerts'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'alerts'`;
  return (await query.execute(store.db)).rows.length > 0;
}

/**
 * Open alerts (closed_at is null), newest first. The table belongs to the continuity checker; a store
 * migrated before it existed simply has none, so the page and /metrics keep working.
 */
export async function openAlerts(store: EvidenceStore): Promise<OpenAlert[]> {
  if (!(await hasAlertsTable(store))) return [];
  const db = store.db as unknown as Kysely<{ alerts: AlertsTable }>;
  const rows = await db
    .selectFrom('alerts')
    .select(['stream', 'kind', 'message', 'opened_at'])
    .where('closed_at', 'is', null)
    .orderBy('opened_at', 'desc')
    .limit(OPEN_LIMIT)
    .execute();
  return rows.map((row) => ({
    stream: row.stream,
    kind: row.kind,
    message: row.message,
    openedAt: Number(row.opened_at),
  }));
}

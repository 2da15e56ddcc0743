import { sql, type Kysely } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';

/** An alert as the operator surface shows it. */
export interface OpenAlert {
  readonly stream: string | null;
  readonly kind: string;
  readonly message: string;
  readonly openedAt: number | null;
}

const OPEN_LIMIT = 500;

function pick(columns: ReadonlySet<string>, names: readonly string[]): string | undefined {
  return names.find((name) => columns.has(name));
}

/** Columns of `alerts` in this store's own schema (PostgreSQL test stores share one database). */
async function alertColumns(store: EvidenceStore): Promise<Set<string>> {
  const query =
    store.dialect === 'postgres'
      ? sql<{
          name: string;
        }>`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = 'alerts'`
      : sql<{ name: string }>`select name from pragma_table_info('alerts')`;
  const { rows } = await query.execute(store.db);
  return new Set(rows.map((row) => row.name));
}

/**
 * Open alerts from the continuity checker's `alerts` table (migration 0002), or none while that table does
 * not exist. The table belongs to another module, so its columns are discovered rather than assumed: a
 * renamed column degrades to an empty field instead of breaking the status page and /metrics.
 */
export async function openAlerts(store: EvidenceStore): Promise<OpenAlert[]> {
  const columns = await alertColumns(store);
  if (columns.size === 0) return [];
  const closed = pick(columns, ['closed_at', 'resolved_at', 'recovered_at', 'ended_at']);
  const state = pick(columns, ['status', 'state']);
  const opened = pick(columns, ['opened_at', 'raised_at', 'started_at', 'created_at']);
  const db = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  let query = db.selectFrom('alerts').selectAll();
  if (closed) query = query.where(sql.ref(closed), 'is', null);
  else if (state) query = query.where(sql.ref(state), '=', 'open');
  if (opened) query = query.orderBy(sql.ref(opened), 'desc');
  const rows = await query.limit(OPEN_LIMIT).execute();
  const text = (row: Record<string, unknown>, names: readonly string[]): string | null => {
    const name = pick(columns, names);
    const value = name ? row[name] : undefined;
    return value === null || value === undefined ? null : String(value);
  };
  return rows.map((row) => {
    const at = opened ? row[opened] : null;
    return {
      stream: text(row, ['stream', 'stream_id']),
      kind: text(row, ['kind', 'type', 'alert_kind']) ?? 'alert',
      message: text(row, ['message', 'summary', 'detail', 'reason']) ?? '',
      openedAt: at === null || at === undefined ? null : Number(at),
    };
  });
}

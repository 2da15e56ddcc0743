import { AlertStore } from '../alerts/alert-store.js';
import type { EvidenceStore } from '../store/open-store.js';

/** An alert as the operator surface shows it. */
export interface OpenAlert {
  readonly stream: string | null;
  readonly kind: string;
  readonly message: string;
  readonly openedAt: number | null;
}

const OPEN_LIMIT = 500;

/** Open alerts (closed_at is null), newest first, read through the alert store (migration 0002). */
export async function openAlerts(store: EvidenceStore): Promise<OpenAlert[]> {
  // Read only: the delivery mode matters to writes alone.
  const rows = await new AlertStore(store, 'logged').newestOpen(OPEN_LIMIT);
  return rows.map((row) => ({
    stream: row.stream,
    kind: row.kind,
    message: row.message,
    openedAt: Number(row.opened_at),
  }));
}

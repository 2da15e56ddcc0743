import type { Generated, Insertable, Selectable } from 'kysely';

/** Times are epoch milliseconds everywhere; JSON columns hold canonical JSON text. */
export interface EvidenceItemsTable {
  id: Generated<number>;
  stream: string;
  item_key: string;
  version: number;
  /** Position in the stream's hash chain, from 1, without holes. */
  seq: number;
  occurred_at: number;
  collected_at: number;
  run_id: string;
  criteria: string;
  iso_controls: string;
  payload: string;
  payload_sha256: string;
  exceptions: string;
  exception_count: number;
  /** 1 when the item records that nothing happened at the source (see CollectedItem.quiet). */
  quiet: number;
  prev_hash: string;
  row_hash: string;
}

export interface ChainHeadsTable {
  stream: string;
  seq: number;
  hash: string;
}

/** What put a collection job on the queue. */
export type QueuedTrigger = 'schedule' | 'backfill' | 'repair';
/** `artefact`: facts read from a registered artefact (a completed access review), never queued. */
export type RunTrigger = QueuedTrigger | 'artefact';
/**
 * `partial`: the run finished but a source file stayed unreadable (rejected as a file); the window is settled
 * for the planner but is no coverage: continuity shows it as a recoverable `source_unreadable` gap.
 */
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'unrecoverable' | 'abandoned';

export interface RunsTable {
  id: string;
  stream: string;
  window_start: number;
  window_end: number;
  trigger: RunTrigger;
  status: RunStatus;
  attempt: number;
  job_id: string | null;
  items_new: number;
  items_unchanged: number;
  items_changed: number;
  items_skipped: number;
  error_code: string | null;
  error_message: string | null;
  started_at: number;
  finished_at: number | null;
}

export interface StreamStateTable {
  stream: string;
  /** End of the contiguous prefix of windows covered by succeeded runs. */
  watermark: number | null;
  /** The stream's cursor (JSON), written only together with a succeeded run. */
  cursor: string | null;
  updated_at: number;
}

export type RejectKind = 'record' | 'file' | 'conflicting_duplicate';

/** A record or file the source gave that could not become evidence (migration 0007 added provenance). */
export interface RejectsTable {
  id: Generated<number>;
  stream: string;
  run_id: string;
  item_key: string | null;
  reason: string;
  /** The raw record or bytes as read, truncated; `raw_sha256` is over the whole of it. */
  raw: string;
  rejected_at: number;
  kind: RejectKind;
  /** Where it came from: a file and record index, an API page; '' when the source did not say. */
  source: string;
  raw_sha256: string;
  /** For a conflicting duplicate: the hash of the version that was stored. */
  other_sha256: string | null;
  /** When the record says it happened, where that could be read. */
  occurred_at: number | null;
  window_start: number;
  window_end: number;
}

/** An ISO artefact in the register; its bytes live in the locker under their SHA-256. */
export interface ArtefactsTable {
  id: string;
  type: string;
  period_label: string;
  period_start: number;
  period_end: number;
  owner: string | null;
  original_name: string;
  /** The name it has in the package: the original when it follows the convention, else the proposed one. */
  file_name: string;
  name_conforms: number;
  sha256: string;
  bytes: number;
  criteria: string;
  added_at: number;
}

export type AlertKind = 'failing' | 'silent' | 'stopped';
export type AlertEvent = 'opened' | 'reminder' | 'recovered';

/** One alert episode of the continuity checker; open while closed_at is null. */
export interface AlertsTable {
  id: string;
  stream: string;
  kind: AlertKind;
  status: 'open' | 'closed';
  message: string;
  /** JSON: what the rule saw (error code, silent since, last run). */
  detail: string;
  opened_at: number;
  last_notified_at: number;
  reminders: number;
  closed_at: number | null;
}

/** Outbox of alert notifications: written with the alert state, delivered (and retried) afterwards. */
export interface AlertNotificationsTable {
  id: Generated<number>;
  alert_id: string;
  stream: string;
  kind: AlertKind;
  event: AlertEvent;
  seq: number;
  message: string;
  created_at: number;
  /** `logged`: no webhook is configured, the log was the only channel. */
  status: 'pending' | 'sent' | 'failed' | 'logged';
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

export interface Database {
  evidence_items: EvidenceItemsTable;
  chain_heads: ChainHeadsTable;
  runs: RunsTable;
  stream_state: StreamStateTable;
  rejects: RejectsTable;
  artefacts: ArtefactsTable;
  alerts: AlertsTable;
  alert_notifications: AlertNotificationsTable;
}

export type EvidenceItemRow = Selectable<EvidenceItemsTable>;
export type NewEvidenceItem = Insertable<EvidenceItemsTable>;

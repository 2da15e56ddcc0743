import { hash } from 'node:crypto';
import type { Window } from '../time.js';
import type { EvidenceStore } from './open-store.js';
import type { RejectKind, RejectsTable } from './schema.js';
import type { Selectable } from 'kysely';

export type Reject = Selectable<RejectsTable>;

export interface NewReject {
  readonly stream: string;
  readonly runId: string;
  readonly window: Window;
  readonly kind: RejectKind;
  readonly reason: string;
  readonly source?: string | undefined;
  readonly key?: string | undefined;
  readonly occurredAt?: number | undefined;
  readonly raw?: unknown;
  readonly conflictsWith?: unknown;
  readonly conflictsWithSha256?: string | undefined;
  readonly now: number;
}

const RAW_KEPT = 20_000;

/** The raw record as text and bytes: a file's bytes as read, a record as JSON (lone surrogates escaped). */
function rawBytes(raw: unknown): { text: string; bytes: Buffer } {
  if (raw instanceof Uint8Array) {
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    return { text: `(${bytes.length} bytes, base64) ${bytes.subarray(0, 12_000).toString('base64')}`, bytes };
  }
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? 'undefined');
  } catch {
    text = String(raw);
  }
  // JSON.stringify escapes lone surrogates; a raw string with one is hashed with them escaped too.
  if (!text.isWellFormed()) text = JSON.stringify(text);
  return { text, bytes: Buffer.from(text, 'utf8') };
}

/** SHA-256 of the raw bytes as `rawBytes` gives them; fast for a parsed record (read once per CloudTrail event). */
export function rawSha256(raw: unknown): string {
  if (raw !== null && typeof raw === 'object' && !(raw instanceof Uint8Array)) {
    try {
      // JSON.stringify writes well-formed text (lone surrogates escaped): the same bytes rawBytes hashes.
      const text = JSON.stringify(raw);
      if (text !== undefined) return hash('sha256', text, 'hex');
    } catch {
      // fall through to the general case (a cycle, a BigInt)
    }
  }
  return hash('sha256', rawBytes(raw).bytes, 'hex');
}

export interface RejectCount {
  readonly stream: string;
  readonly records: number;
  readonly files: number;
  readonly conflictingDuplicates: number;
}

/**
 * The only door to the `rejects` table: what the sources gave that could not become evidence, with its real
 * reason, provenance and hash. Idempotent on (stream, window, kind, source, key, raw hash): collecting a
 * window again records each reject once.
 */
export class RejectLog {
  constructor(private readonly store: EvidenceStore) {}

  async record(entry: NewReject): Promise<void> {
    const { text, bytes } = rawBytes(entry.raw);
    const rawHash = hash('sha256', bytes, 'hex');
    const source = entry.source ?? '';
    const key = entry.key ?? null;
    const known = await this.store.db
      .selectFrom('rejects')
      .select('id')
      .where('stream', '=', entry.stream)
      .where('window_start', '=', entry.window.start)
      .where('window_end', '=', entry.window.end)
      .where('kind', '=', entry.kind)
      .where('source', '=', source)
      .where('raw_sha256', '=', rawHash)
      .where((eb) => (key === null ? eb('item_key', 'is', null) : eb('item_key', '=', key)))
      .executeTakeFirst();
    if (known) return;
    await this.store.db
      .insertInto('rejects')
      .values({
        stream: entry.stream,
        run_id: entry.runId,
        item_key: key,
        reason: entry.reason.slice(0, 2_000),
        raw: text.slice(0, RAW_KEPT),
        rejected_at: entry.now,
        kind: entry.kind,
        source,
        raw_sha256: rawHash,
        other_sha256:
          entry.conflictsWithSha256 ??
          (entry.conflictsWith === undefined ? null : rawSha256(entry.conflictsWith)),
        occurred_at: entry.occurredAt ?? null,
        window_start: entry.window.start,
        window_end: entry.window.end,
      })
      .execute();
  }

  /** Rejects of windows overlapping the period, per stream, in window and id order. */
  async inPeriod(period: Window, streams?: readonly string[]): Promise<Reject[]> {
    let query = this.store.db
      .selectFrom('rejects')
      .selectAll()
      .where('window_start', '<', period.end)
      .where('window_end', '>', period.start);
    if (streams) {
      if (streams.length === 0) return [];
      query = query.where('stream', 'in', [...streams]);
    }
    return query.orderBy('stream').orderBy('window_start').orderBy('id').execute();
  }

  /**
   * The same rejects as `inPeriod`, in the same order, read a keyset page at a time and without their raw
   * text: for the package's Rejected_Records file, however many a broken source gave.
   */
  async *eachInPeriod(
    period: Window,
    streams: readonly string[],
    pageSize = 500,
  ): AsyncGenerator<Omit<Reject, 'raw'>> {
    if (streams.length === 0) return;
    let after: { stream: string; windowStart: number; id: number } | undefined;
    for (;;) {
      const from = after;
      const page = await this.store.db
        .selectFrom('rejects')
        .select([
          'id',
          'stream',
          'run_id',
          'source',
          'kind',
          'reason',
          'item_key',
          'raw_sha256',
          'other_sha256',
          'occurred_at',
          'rejected_at',
          'window_start',
          'window_end',
        ])
        .where('window_start', '<', period.end)
        .where('window_end', '>', period.start)
        .where('stream', 'in', [...streams])
        .$if(from !== undefined, (query) =>
          query.where((eb) =>
            eb.or([
              eb('stream', '>', from!.stream),
              eb.and([eb('stream', '=', from!.stream), eb('window_start', '>', from!.windowStart)]),
              eb.and([
                eb('stream', '=', from!.stream),
                eb('window_start', '=', from!.windowStart),
                eb('id', '>', from!.id),
              ]),
            ]),
          ),
        )
        .orderBy('stream')
        .orderBy('window_start')
        .orderBy('id')
        .limit(pageSize)
        .execute();
      for (const row of page) yield row;
      const last = page.at(-1);
      if (!last || page.length < pageSize) return;
      after = { stream: last.stream, windowStart: Number(last.window_start), id: Number(last.id) };
    }
  }

  /** How many records, files and conflicting duplicates each stream rejected in the period. */
  async countsByStream(period: Window, streams?: readonly string[]): Promise<Map<string, RejectCount>> {
    const rows = await this.store.db
      .selectFrom('rejects')
      .select((eb) => ['stream', 'kind', eb.fn.countAll<number>().as('count')])
      .where('window_start', '<', period.end)
      .where('window_end', '>', period.start)
      .$if(streams !== undefined, (query) => query.where('stream', 'in', [...(streams ?? [])]))
      .groupBy(['stream', 'kind'])
      .execute();
    const counts = new Map<
      string,
      { stream: string; records: number; files: number; conflictingDuplicates: number }
    >();
    for (const row of rows) {
      const entry = counts.get(row.stream) ?? {
        stream: row.stream,
        records: 0,
        files: 0,
        conflictingDuplicates: 0,
      };
      const count = Number(row.count);
      if (row.kind === 'file') entry.files += count;
      else if (row.kind === 'conflicting_duplicate') entry.conflictingDuplicates += count;
      else entry.records += count;
      counts.set(row.stream, entry);
    }
    return counts;
  }
}

/** A row of the exceptions register for a conflicting duplicate (code `conflicting_duplicate`). */
export interface ConflictingDuplicateRow {
  readonly stream: string;
  readonly key: string;
  readonly occurredAt: number;
  readonly description: string;
}

/** The period's conflicting duplicates, as rows for the exceptions register. */
export async function conflictingDuplicates(
  store: EvidenceStore,
  period: Window,
): Promise<ConflictingDuplicateRow[]> {
  const rows = await new RejectLog(store).inPeriod(period);
  return rows
    .filter((row) => row.kind === 'conflicting_duplicate')
    .map((row) => ({
      stream: row.stream,
      key: row.item_key ?? '',
      occurredAt: Number(row.occurred_at ?? row.window_start),
      description: `${row.reason}; stored version sha256 ${row.other_sha256 ?? '?'}, other version sha256 ${row.raw_sha256}${row.source ? ` (${row.source})` : ''}`,
    }));
}

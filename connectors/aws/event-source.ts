import { EvidenceError } from '../../src/errors.js';
import { rawSha256 } from '../../src/store/reject-log.js';
import type { StreamContext } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { AccountClients } from './client.js';
import { lookupRecords } from './lookup-events.js';
import type { LooseFileMemory } from './loose-files.js';
import { trailRecordSchema, toTrailEvent, type TrailEvent } from './trail-event.js';
import {
  candidateFiles,
  deliveredAt,
  DirectoryTrailFiles,
  S3TrailFiles,
  trailFileText,
  type TrailFileStore,
} from './trail-files.js';

/** One record as read, before validation. */
export interface RawRecord {
  readonly raw: unknown;
  /** The file or API call the record came from; with `index`, its position there. */
  readonly where: string;
  readonly index?: number;
  /** Whether the record surely belongs to this window's reading (so a malformed one is reported here). */
  readonly fromWindow: boolean;
  readonly problem?: string;
  /** Set when the whole file could not be read: its bytes as last read, rejected as a file. */
  readonly fileBytes?: Uint8Array;
}

const READ_ATTEMPTS = 3;

// A lone surrogate can only come from a \uD800-\uDFFF escape (UTF-8 cannot carry one): files without such an
// escape skip the per-record walk that finds them.
export const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * The records of each file, a file at a time: one await per file rather than per record. A read that fails
 * is retried and then fails the window (retriable: the transport, not the file, is at fault); a body that
 * never decodes (truncated gzip, bad JSON) or holds no `Records` list is handed on as an unreadable file.
 */
async function* fileRecords(
  store: TrailFileStore,
  keys: readonly string[],
  window: Window,
): AsyncGenerator<readonly RawRecord[]> {
  // Read ahead a few files while the current one is parsed (S3 latency dominates otherwise).
  const ahead = new Map<number, Promise<Uint8Array>>();
  const fetch = (index: number) => {
    const key = keys[index];
    if (key !== undefined && !ahead.has(index)) ahead.set(index, store.read(key));
  };
  for (let index = 0; index < keys.length; index += 1) {
    for (let next = index; next < index + 4; next += 1) fetch(next);
    const key = keys[index] as string;
    const delivered = deliveredAt(key);
    const fromWindow = delivered !== undefined && delivered >= window.start && delivered < window.end;
    let decoded: { body: unknown; text: string } | undefined;
    let bytes: Uint8Array | undefined;
    let problem = '';
    for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt += 1) {
      try {
        bytes = await (ahead.get(index) as Promise<Uint8Array>);
      } catch (error) {
        ahead.delete(index);
        if ((error instanceof EvidenceError && error.retry === 'fatal') || attempt >= READ_ATTEMPTS) {
          if (error instanceof EvidenceError) throw error;
          throw new EvidenceError(
            'TRAIL_FILE_UNREADABLE',
            `trail file ${key}: ${(error as Error).message}`,
            'retriable',
            { cause: error },
          );
        }
        fetch(index);
        continue;
      }
      try {
        const text = trailFileText(key, bytes);
        decoded = { body: JSON.parse(text) as unknown, text };
        break;
      } catch (error) {
        // A body cut short in transit decodes badly; read it again before rejecting the file.
        problem = (error as Error).message;
        ahead.delete(index);
        if (attempt < READ_ATTEMPTS) fetch(index);
      }
    }
    ahead.delete(index);
    if (!decoded) {
      yield [{ raw: null, where: key, fromWindow, problem, fileBytes: bytes ?? new Uint8Array() }];
      continue;
    }
    const records = (decoded.body as { Records?: unknown } | null)?.Records;
    if (!Array.isArray(records)) {
      const what = records === undefined ? 'has no Records' : `has Records of type ${typeName(records)}`;
      yield [
        { raw: null, where: key, fromWindow, problem: `file ${what}, expected a list`, fileBytes: bytes },
      ];
      continue;
    }
    const suspect = SURROGATE_ESCAPE.test(decoded.text);
    // `where` is built only for a record that turns out malformed (see windowEvents).
    yield records.map((raw: unknown, n) => {
      const bad = suspect ? loneSurrogateAt(raw, '') : undefined;
      return bad
        ? { raw, where: key, index: n, fromWindow, problem: `lone surrogate in ${bad}` }
        : { raw, where: key, index: n, fromWindow };
    });
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** The path of the first string (or key) holding a lone surrogate, which JSON canonicalisation refuses. */
export function loneSurrogateAt(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : at || '(record)';
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    if (!key.isWellFormed()) return `a key at ${path}`;
    const bad = loneSurrogateAt(inner, path);
    if (bad) return bad;
  }
  return undefined;
}

/** Where a record came from, as the auditor reads it: "FILE record 3", "LookupEvents ... event ID". */
function sourceOf(item: { where: string; index?: number | undefined }): string {
  return item.index === undefined ? item.where : `${item.where} record ${item.index}`;
}

/** The real reason a record failed validation: "record has no eventID", "eventTime: expected ...". */
function whyInvalid(issue: { path: PropertyKey[]; code: string; message: string } | undefined): string {
  const at = issue?.path.map(String).join('.') || '(record)';
  if (issue?.code === 'invalid_type' && /received undefined/.test(issue.message))
    return `record has no ${at}`;
  if (at === '(record)') return `record is not an object: ${issue?.message}`;
  return `${at}: ${issue?.message}`;
}

function rawRecords(
  clients: AccountClients,
  region: string,
  window: Window,
  ctx: StreamContext<unknown>,
  loose: LooseFileMemory | undefined,
): AsyncGenerator<readonly RawRecord[]> | Promise<AsyncGenerator<readonly RawRecord[]>> {
  const { account } = clients;
  const source = account.cloudtrail;
  if (source.source === 'lookup') {
    return lookupRecords(clients.cloudtrail(region), account.id, region, window, ctx.acquire, ctx.signal);
  }
  const store =
    source.source === 's3'
      ? new S3TrailFiles(clients.s3, source.bucket, source.prefix, source.organizationId)
      : new DirectoryTrailFiles(source.path, source.organizationId);
  const lateMs = source.lateDeliveryMinutes * 60_000;
  return (async () => {
    const keys = [
      ...(await candidateFiles(store, account.id, region, window, lateMs)),
      ...(loose ? await loose.select(store, await store.listLoose(), window) : await store.listLoose()),
    ];
    return fileRecords(store, keys, window);
  })();
}

/**
 * The management events of one account and region whose eventTime lies in [start, end), each once:
 * trail files repeat events, so duplicates are dropped on eventID. What cannot become an event is reported
 * through `ctx.reject` with its real reason and never stops the window: a malformed record, an unreadable
 * file (the run is then partial), and a second record with a known eventID but other content (a
 * conflicting duplicate; the first read is kept).
 */
export async function* windowEvents(
  clients: AccountClients,
  region: string,
  window: Window,
  ctx: StreamContext<unknown>,
  options: { relevant?: (raw: unknown) => boolean; loose?: LooseFileMemory } = {},
): AsyncGenerator<TrailEvent> {
  // Per eventID the hash of the first record read and where it was: a window can hold a million events,
  // too many to keep the records themselves for comparing a later copy.
  const seen = new Map<string, { sha: string; where: string; index: number | undefined }>();
  for await (const batch of await rawRecords(clients, region, window, ctx, options.loose)) {
    // A batch is one file (or API page): whether a loose file read well is told by its first entry.
    const head = batch[0];
    if (head) options.loose?.settled(head.where, window, head.index === undefined && !!head.fileBytes);
    for (const item of batch) {
      if (item.fileBytes) {
        await ctx.reject({
          kind: 'file',
          reason: `trail file unreadable: ${item.problem} (${item.fileBytes.byteLength} bytes)`,
          source: item.where,
          raw: item.fileBytes,
        });
        continue;
      }
      // A stream that wants a few event names skips the others before paying for their validation; a
      // record whose name cannot be read is validated, so a malformed one is still reported.
      if (options.relevant && !item.problem && !options.relevant(item.raw)) continue;
      const parsed = item.problem ? undefined : trailRecordSchema.safeParse(item.raw);
      if (!parsed?.success) {
        const time = Date.parse(String((item.raw as { eventTime?: unknown } | null)?.eventTime));
        const inWindow = Number.isFinite(time) ? time >= window.start && time < window.end : item.fromWindow;
        if (!inWindow) continue;
        const id = (item.raw as { eventID?: unknown } | null)?.eventID;
        await ctx.reject({
          reason: item.problem ?? whyInvalid(parsed?.error.issues[0]),
          source: sourceOf(item),
          ...(typeof id === 'string' && id.isWellFormed() && id ? { key: id } : {}),
          ...(Number.isFinite(time) ? { occurredAt: time } : {}),
          raw: item.raw,
        });
        continue;
      }
      const record = parsed.data;
      const event = toTrailEvent(record);
      if (event.at < window.start || event.at >= window.end) continue;
      // Loose exports may mix accounts and regions; the standard layout never does.
      if (record.awsRegion !== region) continue;
      if (record.recipientAccountId && record.recipientAccountId !== clients.account.id) continue;
      const first = seen.get(event.id);
      // Copies of one event are common (trail files repeat events); one whose content differs is reported.
      const sha = rawSha256(item.raw);
      if (first) {
        if (first.sha !== sha) {
          await ctx.reject({
            kind: 'conflicting_duplicate',
            reason: `eventID ${event.id} read twice with different content (kept ${sourceOf(first)})`,
            source: sourceOf(item),
            key: event.id,
            occurredAt: event.at,
            raw: item.raw,
            conflictsWithSha256: first.sha,
          });
        }
        continue;
      }
      seen.set(event.id, { sha, where: item.where, index: item.index });
      yield event;
    }
  }
}

import { EvidenceError } from '../../src/errors.js';
import type { StreamContext } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { AccountClients } from './client.js';
import { lookupRecords } from './lookup-events.js';
import { trailRecordSchema, toTrailEvent, type TrailEvent } from './trail-event.js';
import {
  candidateFiles,
  decodeTrailFile,
  deliveredAt,
  DirectoryTrailFiles,
  S3TrailFiles,
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
}

/** A record that failed validation: reported as a skipped item, never silently dropped. */
export interface MalformedRecord {
  readonly malformed: true;
  readonly key: string;
  readonly where: string;
  readonly reason: string;
  readonly raw: unknown;
}

const READ_ATTEMPTS = 3;

/** The records of each file, a file at a time: one await per file rather than per record. */
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
    let body: unknown;
    for (let attempt = 1; ; attempt += 1) {
      try {
        body = decodeTrailFile(key, await (ahead.get(index) as Promise<Uint8Array>));
        break;
      } catch (error) {
        ahead.delete(index);
        if (error instanceof EvidenceError && error.retry === 'fatal') throw error;
        // A body cut short in transit decodes badly; read it again before giving up on the window.
        if (attempt >= READ_ATTEMPTS) {
          throw new EvidenceError(
            'TRAIL_FILE_UNREADABLE',
            `trail file ${key}: ${(error as Error).message}`,
            'retriable',
            { cause: error },
          );
        }
        fetch(index);
      }
    }
    ahead.delete(index);
    const delivered = deliveredAt(key);
    const fromWindow = delivered !== undefined && delivered >= window.start && delivered < window.end;
    const records = (body as { Records?: unknown } | null)?.Records;
    if (!Array.isArray(records)) {
      yield [{ raw: null, where: key, fromWindow, problem: 'file has no Records array' }];
      continue;
    }
    // `where` is built only for a record that turns out malformed (see windowEvents).
    yield records.map((raw: unknown, n) => ({ raw, where: key, index: n, fromWindow }));
  }
}

function rawRecords(
  clients: AccountClients,
  region: string,
  window: Window,
  ctx: StreamContext<unknown>,
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
      ...(await store.listLoose()),
    ];
    return fileRecords(store, keys, window);
  })();
}

/**
 * The management events of one account and region whose eventTime lies in [start, end), each once:
 * trail files repeat events, so duplicates are dropped on eventID.
 */
export async function* windowEvents(
  clients: AccountClients,
  region: string,
  window: Window,
  ctx: StreamContext<unknown>,
  options: { relevant?: (raw: unknown) => boolean } = {},
): AsyncGenerator<TrailEvent | MalformedRecord> {
  const seen = new Set<string>();
  for await (const batch of await rawRecords(clients, region, window, ctx)) {
    for (const item of batch) {
      // A stream that wants a few event names skips the others before paying for their validation; a
      // record whose name cannot be read is validated, so a malformed one is still reported.
      if (options.relevant && !item.problem && !options.relevant(item.raw)) continue;
      const parsed = item.problem ? undefined : trailRecordSchema.safeParse(item.raw);
      if (!parsed?.success) {
        const time = Date.parse(String((item.raw as { eventTime?: unknown } | null)?.eventTime));
        const inWindow = Number.isFinite(time) ? time >= window.start && time < window.end : item.fromWindow;
        if (!inWindow) continue;
        const issue = parsed?.error.issues[0];
        const where = item.index === undefined ? item.where : `${item.where} record ${item.index}`;
        yield {
          malformed: true,
          key: `malformed/${where}`,
          where,
          reason: item.problem ?? `${issue?.path.join('.') || '(record)'}: ${issue?.message}`,
          raw: item.raw,
        };
        continue;
      }
      const record = parsed.data;
      const event = toTrailEvent(record);
      if (event.at < window.start || event.at >= window.end) continue;
      // Loose exports may mix accounts and regions; the standard layout never does.
      if (record.awsRegion !== region) continue;
      if (record.recipientAccountId && record.recipientAccountId !== clients.account.id) continue;
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      yield event;
    }
  }
}

export function isMalformed<T extends object>(value: T | MalformedRecord): value is MalformedRecord {
  return (value as MalformedRecord).malformed === true;
}

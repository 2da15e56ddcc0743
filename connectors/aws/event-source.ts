import { availableParallelism } from 'node:os';
import { EvidenceError } from '../../src/errors.js';
import { rawSha256 } from '../../src/store/reject-log.js';
import type { StreamContext } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { AccountClients } from './client.js';
import { lookupRecords } from './lookup-events.js';
import type { LooseFileMemory } from './loose-files.js';
import { trailRecordSchema, toTrailEvent, type TrailEvent } from './trail-event.js';
import { NAMED_FILTERS, type FilterName } from './trail-split.js';
import { trailSplitPool } from './trail-split-pool.js';
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

/** What one read of a file gave: its records, or why its body does not decode. */
type Decoded = { readonly records: RawRecord[] } | { readonly problem: string };

/** recipientAccountId of the records read, with their counts (see windowEvents' account check). */
export type RecipientTally = (recipients: Readonly<Record<string, number>>) => void;

/**
 * Decodes a file in a worker thread where it is laid out as CloudTrail writes it (only the records `filter`
 * keeps come back), else here, whole, so a malformed file is reported with the reason JSON gives.
 */
async function decodeFile(
  key: string,
  bytes: Uint8Array,
  fromWindow: boolean,
  filter: FilterName | undefined,
  tally: RecipientTally,
): Promise<Decoded> {
  const split = await trailSplitPool().split(bytes, filter);
  if (split && !split.ok) return { problem: split.problem };
  if (split) {
    tally(split.recipients);
    return {
      records: split.records.map(({ raw, index, surrogateEscape }): RawRecord => {
        const bad = surrogateEscape ? loneSurrogateAt(raw, '') : undefined;
        return bad
          ? { raw, where: key, index, fromWindow, problem: `lone surrogate in ${bad}` }
          : { raw, where: key, index, fromWindow };
      }),
    };
  }
  let text: string;
  let body: unknown;
  try {
    text = trailFileText(key, bytes);
    body = JSON.parse(text) as unknown;
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const records = (body as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) {
    const what = records === undefined ? 'has no Records' : `has Records of type ${typeName(records)}`;
    return {
      records: [
        { raw: null, where: key, fromWindow, problem: `file ${what}, expected a list`, fileBytes: bytes },
      ],
    };
  }
  const recipients: Record<string, number> = {};
  for (const raw of records as unknown[]) {
    const recipient = (raw as { recipientAccountId?: unknown } | null)?.recipientAccountId;
    if (typeof recipient === 'string') recipients[recipient] = (recipients[recipient] ?? 0) + 1;
  }
  tally(recipients);
  const suspect = SURROGATE_ESCAPE.test(text);
  // `where` is built only for a record that turns out malformed (see windowEvents).
  return {
    records: records.map((raw: unknown, n) => {
      const bad = suspect ? loneSurrogateAt(raw, '') : undefined;
      return bad
        ? { raw, where: key, index: n, fromWindow, problem: `lone surrogate in ${bad}` }
        : { raw, where: key, index: n, fromWindow };
    }),
  };
}

/**
 * The records of each file, a file at a time: one await per file rather than per record. A read that fails
 * is retried and then fails the window (retriable: the transport, not the file, is at fault); a body that
 * never decodes (truncated gzip, bad JSON) or holds no `Records` list is handed on as an unreadable file.
 * Files are read and decoded a few ahead, in worker threads, while the current one is collected.
 */
async function* fileRecords(
  store: TrailFileStore,
  keys: readonly string[],
  window: Window,
  filter: FilterName | undefined,
  tally: RecipientTally,
): AsyncGenerator<readonly RawRecord[]> {
  const decoding = new Map<number, Promise<{ bytes: Uint8Array; decoded: Decoded } | { error: unknown }>>();
  const fromWindowOf = (key: string) => {
    const delivered = deliveredAt(key);
    return delivered !== undefined && delivered >= window.start && delivered < window.end;
  };
  const start = (index: number) => {
    const key = keys[index];
    if (key === undefined || decoding.has(index)) return;
    decoding.set(
      index,
      store.read(key).then(
        async (bytes) => ({ bytes, decoded: await decodeFile(key, bytes, fromWindowOf(key), filter, tally) }),
        (error: unknown) => ({ error }),
      ),
    );
  };
  const depth = Math.max(4, 2 * availableParallelism());
  for (let index = 0; index < keys.length; index += 1) {
    for (let next = index; next < index + depth; next += 1) start(next);
    const key = keys[index] as string;
    const fromWindow = fromWindowOf(key);
    let decoded: Decoded | undefined;
    let bytes: Uint8Array | undefined;
    for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt += 1) {
      const outcome = await (decoding.get(index) as Promise<
        { bytes: Uint8Array; decoded: Decoded } | { error: unknown }
      >);
      decoding.delete(index);
      if ('error' in outcome) {
        const { error } = outcome;
        if ((error instanceof EvidenceError && error.retry === 'fatal') || attempt >= READ_ATTEMPTS) {
          if (error instanceof EvidenceError) throw error;
          throw new EvidenceError(
            'TRAIL_FILE_UNREADABLE',
            `trail file ${key}: ${(error as Error).message}`,
            'retriable',
            { cause: error },
          );
        }
        start(index);
        continue;
      }
      bytes = outcome.bytes;
      decoded = outcome.decoded;
      // A body cut short in transit decodes badly; read it again before rejecting the file.
      if ('problem' in decoded && attempt < READ_ATTEMPTS) start(index);
      else break;
    }
    if (!decoded || 'problem' in decoded) {
      const problem = decoded && 'problem' in decoded ? decoded.problem : '';
      yield [{ raw: null, where: key, fromWindow, problem, fileBytes: bytes ?? new Uint8Array() }];
      continue;
    }
    yield decoded.records;
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
  filter: FilterName | undefined,
  tally: RecipientTally,
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
    return fileRecords(store, keys, window, filter, tally);
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
  // A known filter runs in the worker threads too, so records the stream skips never cross back.
  const filter = (Object.keys(NAMED_FILTERS) as FilterName[]).find(
    (name) => NAMED_FILTERS[name] === options.relevant,
  );
  const recipients = new Map<string, number>();
  const tally: RecipientTally = (counts) => {
    for (const [account, count] of Object.entries(counts))
      recipients.set(account, (recipients.get(account) ?? 0) + count);
  };
  yield* collectWindow();
  warnOnOtherAccounts(clients.account.id, region, window, recipients, ctx);
  return;

  async function* collectWindow(): AsyncGenerator<TrailEvent> {
    for await (const batch of await rawRecords(clients, region, window, ctx, options.loose, filter, tally)) {
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
          const inWindow = Number.isFinite(time)
            ? time >= window.start && time < window.end
            : item.fromWindow;
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
}

/**
 * Records of other accounts are skipped, as they must be; when the files of the configured account hold
 * them, the config most likely names the bucket owner (in the file names) instead of the account whose
 * events the records are (recipientAccountId). Said once per window, naming both, so the hours do not
 * look merely silent.
 */
function warnOnOtherAccounts(
  configured: string,
  region: string,
  window: Window,
  recipients: ReadonlyMap<string, number>,
  ctx: StreamContext<unknown>,
): void {
  const others = [...recipients].filter(([account]) => account !== configured);
  if (others.length === 0) return;
  const found = others.map(([account, count]) => `${account} (${count} records)`).join(', ');
  ctx.logger.warn(
    {
      code: 'TRAIL_ACCOUNT_MISMATCH',
      configuredAccount: configured,
      recordAccounts: Object.fromEntries(others),
      ownRecords: recipients.get(configured) ?? 0,
      region,
      window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
    },
    `trail files read for account ${configured} (${region}) hold records of account ${found}, which are skipped: is ${configured} the bucket owner rather than the account whose events these are?`,
  );
}

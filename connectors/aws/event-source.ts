import { rawSha256 } from '../../src/store/reject-log.js';
import type { StreamContext } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { AccountClients } from './client.js';
import { lookupRecords } from './lookup-events.js';
import type { LooseFileMemory } from './loose-files.js';
import { trailRecordSchema, toTrailEvent, type TrailEvent } from './trail-event.js';
import { fileRecords } from './trail-file-records.js';
import { candidateFiles, DirectoryTrailFiles, S3TrailFiles } from './trail-files.js';
import { NAMED_FILTERS, type FilterName } from './trail-split.js';

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

/** recipientAccountId of the records read, with their counts (see windowEvents' account check). */
export type RecipientTally = (recipients: Readonly<Record<string, number>>) => void;

/** The path of the first string (or key) holding a lone surrogate, which JSON canonicalisation refuses. */
function loneSurrogateAt(value: unknown, at: string): string | undefined {
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

/** The record, or when a string (or key) in it holds a lone surrogate the record with that problem. */
export function checkedForSurrogates(record: RawRecord): RawRecord {
  const bad = loneSurrogateAt(record.raw, '');
  return bad ? { ...record, problem: `lone surrogate in ${bad}` } : record;
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

import { EvidenceError } from '../../src/errors.js';
import type { Window } from '../../src/time.js';
import { checkedForSurrogates, type RawRecord, type RecipientTally } from './event-source.js';
import { countRecipient, SURROGATE_ESCAPE } from './trail-cutter.js';
import { deliveredAt, trailFileText, type TrailFileStore } from './trail-files.js';
import type { FilterName, KeptBatch, SplitEnd } from './trail-split.js';
import { trailSplitPool, type SplitJob } from './trail-split-pool.js';

const READ_ATTEMPTS = 3;
/** Compressed bytes read ahead of the file being collected, beyond which no further file is started. */
const AHEAD_BYTES = 32 * 2 ** 20;

type Reading = { readonly job: SplitJob; readonly size: number } | { readonly error: unknown };

/**
 * The records of each file, in file order, a batch at a time (a file gives one or more batches, or none
 * when nothing in it is kept). A read that fails is retried and then fails the window (retriable: the
 * transport, not the file, is at fault). A body that does not decode (truncated gzip, bad JSON) is read
 * again, handing on only the records after those already handed on, and after the last attempt is handed
 * on as an unreadable file with its bytes; so a big file broken part way gives the whole records before the
 * break, and is rejected. Files are read a few ahead and split in worker threads while one is collected.
 */
export async function* fileRecords(
  store: TrailFileStore,
  keys: readonly string[],
  window: Window,
  filter: FilterName | undefined,
  tally: RecipientTally,
): AsyncGenerator<readonly RawRecord[]> {
  const pool = trailSplitPool();
  // Enough files to keep every worker busy while the collecting thread takes one file's batches.
  const depth = 2 * pool.size + 1;
  const readings = new Map<number, Promise<Reading>>();
  let aheadBytes = 0;
  let started = 0;
  const read = (index: number, skipBelow: number): Promise<Reading> =>
    store.read(keys[index] as string).then(
      (bytes) => {
        aheadBytes += bytes.byteLength;
        return { job: pool.split(bytes, filter, skipBelow), size: bytes.byteLength };
      },
      (error: unknown) => ({ error }),
    );
  const fill = (current: number): void => {
    started = Math.max(started, current);
    while (started < keys.length && started <= current + depth && aheadBytes < AHEAD_BYTES) {
      readings.set(started, read(started, 0));
      started += 1;
    }
  };

  for (let index = 0; index < keys.length; index += 1) {
    fill(index);
    const key = keys[index] as string;
    const delivered = deliveredAt(key);
    const fromWindow = delivered !== undefined && delivered >= window.start && delivered < window.end;
    let reading = readings.get(index) ?? read(index, 0);
    readings.delete(index);
    let skip = 0;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await reading;
      if ('error' in outcome) {
        const { error } = outcome;
        if ((error instanceof EvidenceError && error.retry === 'fatal') || attempt >= READ_ATTEMPTS)
          throw error instanceof EvidenceError ? error : unreadable(key, error);
        reading = read(index, skip);
        continue;
      }
      let end: SplitEnd | undefined;
      let bytes: Uint8Array | undefined;
      while (!end) {
        const event = await outcome.job.next();
        if (event.type === 'batch') {
          skip = event.batch.scanned;
          const records = batchRecords(event.batch, key, fromWindow);
          if (records.length > 0) yield records;
        } else if (event.type === 'end') {
          end = event.end;
          bytes = event.bytes;
        } else end = { kind: 'whole', scanned: skip }; // its worker died: read it here
      }
      aheadBytes -= outcome.size;
      fill(index + 1);
      let problem: string;
      if (end.kind === 'end') {
        tally(end.recipients);
        break;
      } else if (end.kind === 'whole') {
        // Bytes that went down with a worker are read again, once; a failure then is the transport's.
        bytes ??= await store.read(key).catch((error: unknown) => {
          throw unreadable(key, error);
        });
        const whole = decodeWhole(key, bytes, fromWindow, skip, tally);
        if (!('problem' in whole)) {
          if (whole.records.length > 0) yield whole.records;
          break;
        }
        problem = whole.problem;
      } else problem = end.problem;
      // A body cut short in transit decodes badly; read it again before rejecting the file.
      if (attempt < READ_ATTEMPTS) {
        reading = read(index, skip);
        continue;
      }
      yield [{ raw: null, where: key, fromWindow, problem, fileBytes: bytes ?? new Uint8Array() }];
      break;
    }
  }
}

/** A read that failed: the transport, not the file, is at fault, so the window is tried again. */
function unreadable(key: string, error: unknown): EvidenceError {
  return new EvidenceError(
    'TRAIL_FILE_UNREADABLE',
    `trail file ${key}: ${(error as Error).message}`,
    'retriable',
    { cause: error },
  );
}

/** The records of a batch as read here: one parse of its JSON text. */
function batchRecords(batch: KeptBatch, key: string, fromWindow: boolean): RawRecord[] {
  const raws = JSON.parse(batch.json) as unknown[];
  const records = raws.map((raw, n): RawRecord => ({ raw, where: key, index: batch.indexes[n], fromWindow }));
  for (const n of batch.escapes) records[n] = checkedForSurrogates(records[n] as RawRecord);
  return records;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/**
 * A file not laid out as CloudTrail writes it, read whole here so what is wrong is reported with the reason
 * JSON gives; its records from `skipBelow` on.
 */
function decodeWhole(
  key: string,
  bytes: Uint8Array,
  fromWindow: boolean,
  skipBelow: number,
  tally: RecipientTally,
): { readonly records: RawRecord[] } | { readonly problem: string } {
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
  for (const raw of records as unknown[])
    countRecipient(recipients, (raw as { recipientAccountId?: unknown } | null)?.recipientAccountId);
  tally(recipients);
  const suspect = SURROGATE_ESCAPE.test(text);
  const kept: RawRecord[] = [];
  // `where` is built only for a record that turns out malformed (see windowEvents).
  records.forEach((raw: unknown, n) => {
    if (n < skipBelow) return;
    const record: RawRecord = { raw, where: key, index: n, fromWindow };
    kept.push(suspect ? checkedForSurrogates(record) : record);
  });
  return { records: kept };
}

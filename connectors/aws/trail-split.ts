import { createGunzip, gunzipSync } from 'node:zlib';
import { mayBeAccessChange, mayBeSecurityEvent } from './events.js';
import { RecordCutter } from './trail-cutter.js';

/** Filters a worker can apply by name (a function cannot cross a thread); see windowEvents' `relevant`. */
export const NAMED_FILTERS = {
  accessChange: mayBeAccessChange,
  securityEvent: mayBeSecurityEvent,
} as const;
export type FilterName = keyof typeof NAMED_FILTERS;

/**
 * Filters that read nothing of a record but these top-level strings (absent or not a string: kept): the
 * worker judges a record on them without parsing it, which is most of its work otherwise.
 */
const TOP_LEVEL_FIELDS: Partial<Record<FilterName, readonly string[]>> = {
  accessChange: ['eventSource', 'eventName'],
};

/**
 * Records kept from a file, handed on together: their JSON texts as one JSON array (parsed once where they
 * are collected, instead of cloning an object graph between threads), each record's position in the file,
 * and which of them escape a lone surrogate.
 */
export interface KeptBatch {
  readonly json: string;
  readonly indexes: number[];
  /** Positions in `indexes` of the records whose text escapes a lone surrogate. */
  readonly escapes: number[];
  /** Records read so far (kept or not): a read again after a failure hands on only those after. */
  readonly scanned: number;
}

/** How a file's read ended, after its last batch. */
export type SplitEnd =
  /** recipientAccountId of every record read (kept or not), with its count. */
  | { readonly kind: 'end'; readonly recipients: Record<string, number> }
  /** The body does not decode (truncated gzip, a record cut short); the batches before it stand. */
  | { readonly kind: 'failed'; readonly problem: string; readonly scanned: number }
  /** Not laid out as CloudTrail writes it (`{"Records":[` ... `]}`): read it whole to tell what it is. */
  | { readonly kind: 'whole'; readonly scanned: number };

export interface SplitOptions {
  readonly keep: ((raw: unknown) => boolean) | undefined;
  /** The named filter `keep` is, if it is one. */
  readonly filter?: FilterName | undefined;
  /** Records before this position were handed on by an earlier read of the file. */
  readonly skipBelow?: number;
  /** Receives each batch; the read goes on when the promise settles (back-pressure). */
  readonly emit: (batch: KeptBatch) => Promise<void> | void;
  /** Characters of kept records per batch. */
  readonly batchChars?: number;
}

/**
 * Compressed files up to this size are inflated in one call (faster than streaming; their text is some
 * 2 MB). Larger ones are streamed: at 1 MB, whole texts of 4 MB put a day of 1,000,000 events at 298-329 MB
 * peak RSS, streamed 236 MB, in about the same time (bench/trail-real.ts).
 */
const WHOLE_BELOW = 256 * 1024;
/** Inflated bytes streamed to the cutter at a time. */
const PIECE = 256 * 1024;
/**
 * Pieces inflated ahead of the one being cut, at most (zlib is paused beyond). zlib inflates on libuv's
 * thread pool, so with room ahead a big file keeps two cores busy instead of one waiting for the other.
 */
const PIECES_AHEAD = 8;
const BATCH_CHARS = 1024 * 1024;

/**
 * Reads a trail file a record at a time: inflated chunk by chunk, each element of `Records` cut out at its
 * closing brace from the bytes and decoded only when it is parsed, the kept ones handed on in batches of
 * about `batchChars`, waiting for each to be taken. Memory holds a few chunks and one batch, never a whole
 * big file's text or objects. A body that breaks part way ends `failed` after the batches read before the
 * break (whole records, each parsed alone); a small file is inflated in one call, so a broken one hands on
 * nothing.
 */
export async function splitTrailFile(bytes: Uint8Array, options: SplitOptions): Promise<SplitEnd> {
  const fields = options.filter ? TOP_LEVEL_FIELDS[options.filter] : undefined;
  const cutter = new RecordCutter(options.keep, options.skipBelow ?? 0, fields);
  const limit = options.batchChars ?? BATCH_CHARS;
  // Synchronous while no batch is full, so the stream is paused only to hand one on.
  const pass = (): Promise<void> | void => {
    if (cutter.batchChars >= limit) return options.emit(cutter.takeBatch());
  };
  // Bytes inflated in one call are cut in one go: pieces of them would be copied again when joined to the
  // record left open (and they are some 2 MB, so their kept records are at most that).
  const feedWhole = async (body: Uint8Array): Promise<boolean> => {
    const laidOut = cutter.feed(body);
    await pass();
    return laidOut;
  };
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  let laidOut: boolean;
  try {
    if (gzipped && bytes.byteLength <= WHOLE_BELOW) {
      // Most trail files are small: inflating one in a call is several times faster than streaming it.
      laidOut = await feedWhole(gunzipSync(bytes, { chunkSize: inflatedSize(bytes) }));
    } else if (gzipped) {
      laidOut = await inflateInto(bytes, (chunk) => {
        if (!cutter.feed(chunk)) return false;
        const passed = pass();
        return passed ? passed.then(() => true) : true;
      });
    } else laidOut = await feedWhole(bytes);
  } catch (error) {
    if (cutter.batchChars > 0) await options.emit(cutter.takeBatch());
    return { kind: 'failed', problem: (error as Error).message, scanned: cutter.scanned };
  }
  if (cutter.batchChars > 0) await options.emit(cutter.takeBatch());
  if (!laidOut || !cutter.started) return { kind: 'whole', scanned: cutter.scanned };
  if (!cutter.closed)
    return { kind: 'failed', problem: 'Unexpected end of JSON input', scanned: cutter.scanned };
  // More than the closing brace after the list (other keys, or garbage): the whole read tells which.
  if (cutter.tail.trim() !== '}') return { kind: 'whole', scanned: cutter.scanned };
  return { kind: 'end', recipients: cutter.recipients };
}

/**
 * Streams the inflated bytes to `feed` a chunk at a time, pausing while it works; false stops the read.
 * Each chunk is cut in a task of its own, after zlib's callback has returned: zlib then starts inflating
 * the next chunk (on libuv's thread pool) while this thread cuts this one, instead of the two taking
 * turns. A break in the body (truncated gzip) fails the read after the chunks inflated before it.
 */
function inflateInto(
  bytes: Uint8Array,
  feed: (chunk: Buffer) => boolean | Promise<boolean>,
): Promise<boolean> {
  const gunzip = createGunzip({ chunkSize: PIECE });
  const ready: Buffer[] = [];
  let ended = false;
  let broken: Error | undefined;
  let cutting = false;
  return new Promise<boolean>((resolve, reject) => {
    const finish = (outcome: boolean | Error) => {
      gunzip.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const next = () => {
      cutting = true;
      setImmediate(cut);
    };
    const cut = () => {
      const chunk = ready.shift();
      if (!chunk) {
        cutting = false;
        if (broken) finish(broken);
        else if (ended) finish(true);
        return;
      }
      if (gunzip.isPaused() && ready.length < PIECES_AHEAD) gunzip.resume();
      let fed: boolean | Promise<boolean>;
      try {
        fed = feed(chunk);
      } catch (error) {
        finish(error as Error);
        return;
      }
      if (fed === true) next();
      else if (fed === false) finish(false);
      else
        fed.then(
          (more) => (more ? next() : finish(false)),
          (error: unknown) => finish(error as Error),
        );
    };
    gunzip.on('data', (chunk: Buffer) => {
      ready.push(chunk);
      if (ready.length >= PIECES_AHEAD) gunzip.pause();
      if (!cutting) next();
    });
    const stop = (error?: Error) => {
      ended = true;
      broken = error;
      if (!cutting) next();
    };
    gunzip.on('end', () => stop());
    gunzip.on('error', stop);
    gunzip.end(bytes);
  });
}

/**
 * An output chunk that holds the whole inflated text, from the size gzip records in its last four bytes
 * (modulo 2^32, and not to be trusted: bounded), so the text is inflated into one buffer, not joined.
 */
function inflatedSize(bytes: Uint8Array): number {
  const end = bytes.byteLength;
  const recorded =
    (bytes[end - 1] ?? 0) * 2 ** 24 +
    ((bytes[end - 2] ?? 0) << 16) +
    ((bytes[end - 3] ?? 0) << 8) +
    (bytes[end - 4] ?? 0);
  return Math.min(64 * 2 ** 20, Math.max(64 * 1024, recorded + 1));
}

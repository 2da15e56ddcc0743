import { createGunzip, gunzipSync } from 'node:zlib';
import { mayBeAccessChange, mayBeSecurityEvent } from './events.js';

/** Filters a worker can apply by name (a function cannot cross a thread); see windowEvents' `relevant`. */
export const NAMED_FILTERS = {
  accessChange: mayBeAccessChange,
  securityEvent: mayBeSecurityEvent,
} as const;
export type FilterName = keyof typeof NAMED_FILTERS;

/** A record kept from a file: its position, the parsed JSON, and whether its text escapes a lone surrogate. */
export interface SplitRecord {
  readonly index: number;
  readonly raw: unknown;
  readonly surrogateEscape: boolean;
}

export type SplitResult =
  | {
      readonly ok: true;
      readonly records: SplitRecord[];
      /** recipientAccountId of every record read (kept or not), with its count. */
      readonly recipients: Record<string, number>;
    }
  | { readonly ok: false; readonly problem: string };

const OPEN = /^\s*\{\s*"Records"\s*:\s*\[/;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const QUOTE = 34;
/** Compressed files up to this size are inflated in one call (their text is some 10 MB at most). */
const WHOLE_BELOW = 1024 * 1024;
const BACKSLASH = 92;

/**
 * Reads a trail file a record at a time: the gzip stream is inflated chunk by chunk and each element of
 * `Records` is cut out at its closing brace and parsed alone, so memory holds one chunk and the kept
 * records, never the whole file's text or objects. Answers undefined when the file does not start as
 * CloudTrail writes it (`{"Records":[`), so the caller reads it whole and reports what is wrong.
 */
export async function splitTrailFile(
  bytes: Uint8Array,
  keep: ((raw: unknown) => boolean) | undefined,
): Promise<SplitResult | undefined> {
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const records: SplitRecord[] = [];
  const recipients: Record<string, number> = {};
  let pending = '';
  let started = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let begin = -1;
  let index = 0;
  let closed = false;
  let tail = '';

  const take = (text: string): void => {
    const raw = JSON.parse(text) as unknown;
    const recipient = (raw as { recipientAccountId?: unknown } | null)?.recipientAccountId;
    if (typeof recipient === 'string') recipients[recipient] = (recipients[recipient] ?? 0) + 1;
    if (!keep || keep(raw)) records.push({ index, raw, surrogateEscape: SURROGATE_ESCAPE.test(text) });
    index += 1;
  };

  /** Scans a chunk on from where the last one stopped; false when the file is not laid out as CloudTrail's. */
  /** Where the string the scan is in ends (its closing quote), or the chunk's last index, noting an escape. */
  const stringEnd = (text: string, from: number): number => {
    let at = from;
    if (escaped) {
      escaped = false;
      at += 1;
    }
    for (;;) {
      const quote = text.indexOf('"', at);
      if (quote < 0) {
        let slashes = 0;
        while (slashes < text.length - at && text.charCodeAt(text.length - 1 - slashes) === BACKSLASH)
          slashes += 1;
        escaped = slashes % 2 === 1;
        return text.length - 1;
      }
      let slashes = 0;
      while (quote - 1 - slashes >= at && text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes += 1;
      if (slashes % 2 === 0) {
        inString = false;
        return quote;
      }
      at = quote + 1;
    }
  };

  const feed = (chunk: string): boolean => {
    if (closed) {
      tail += chunk;
      return tail.length < 64;
    }
    const text = pending + chunk;
    let at = pending.length;
    if (!started) {
      const open = OPEN.exec(text);
      if (!open) {
        pending = text;
        return text.length < 64; // wait for more, unless it is surely not CloudTrail's layout
      }
      started = true;
      at = open[0].length;
    }
    if (begin >= 0) begin = 0;
    for (; at < text.length; at += 1) {
      const code = text.charCodeAt(at);
      if (inString) {
        at = stringEnd(text, at);
        continue;
      }
      if (depth === 0) {
        // Between records only separators, a record's brace or the list's end.
        if (code === 123) {
          begin = at;
          depth = 1;
        } else if (code === 93) {
          closed = true;
          tail = text.slice(at + 1);
          pending = '';
          return tail.length < 64;
        } else if (code !== 44 && code !== 32 && code !== 10 && code !== 13 && code !== 9) return false;
        continue;
      }
      if (code === QUOTE) inString = true;
      else if (code === 123 || code === 91) depth += 1;
      else if (code === 125 || code === 93) {
        depth -= 1;
        if (depth === 0) {
          take(text.slice(begin, at + 1));
          begin = -1;
        }
      }
    }
    pending = begin >= 0 ? text.slice(begin) : '';
    return true;
  };

  try {
    if (gzipped && bytes.byteLength <= WHOLE_BELOW) {
      // Most trail files are small: inflating one in a call is several times faster than streaming it.
      if (!feed(gunzipSync(bytes).toString('utf8'))) return undefined;
    } else if (gzipped) {
      const gunzip = createGunzip({ chunkSize: 256 * 1024 });
      gunzip.setEncoding('utf8');
      const done = (async () => {
        for await (const chunk of gunzip as AsyncIterable<string>) if (!feed(chunk)) return false;
        return true;
      })();
      gunzip.end(bytes);
      if (!(await done)) return undefined;
    } else if (!feed(Buffer.from(bytes).toString('utf8'))) return undefined;
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  if (!started) return undefined;
  if (!closed) return { ok: false, problem: 'Unexpected end of JSON input' };
  // More than the closing brace after the list (other keys, or garbage): the whole read tells which.
  if (tail.trim() !== '}') return undefined;
  return { ok: true, records, recipients };
}

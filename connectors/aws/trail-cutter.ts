import type { KeptBatch } from './trail-split.js';

const OPEN = /^\s*\{\s*"Records"\s*:\s*\[/;
/** Bytes decoded to find the list's opening: a file with more whitespace before it is read whole. */
const OPEN_WITHIN = 64 * 1024;
// A lone surrogate can only come from a \uD800-\uDFFF escape (UTF-8 cannot carry one): files without such an
// escape skip the per-record walk that finds them.
export const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const QUOTE = 34;
const BACKSLASH = 92;
const BACKSLASH_U = Buffer.from('\\u');
const RECIPIENT = 'recipientAccountId';
const NONE = Buffer.alloc(0);

/**
 * Cuts the elements of a CloudTrail file's `Records` list out of its bytes as they arrive, piece by piece:
 * each at its closing brace, counted by recipient and kept (decoded to its text) when the filter wants it.
 * It scans bytes, never the file's text: JSON's structure is ASCII, and UTF-8 never puts an ASCII byte
 * inside a character, so a record is decoded only when it is parsed or kept. Holds the unfinished record
 * and the kept texts not yet taken, nothing else.
 */
export class RecordCutter {
  started = false;
  closed = false;
  /** What follows the list's closing bracket (CloudTrail writes only `}`). */
  tail = '';
  /** Records read, kept or not. */
  scanned = 0;
  readonly recipients: Record<string, number> = {};
  batchChars = 0;

  private texts: string[] = [];
  private indexes: number[] = [];
  private escapes: number[] = [];
  /** The bytes read before the list's opening is found; those after its end. */
  private head: Buffer = NONE;
  private tailBytes: Buffer = NONE;
  /** The record a piece ended in, its bytes so far; and the state its last piece ended in. */
  private open: Buffer[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  // Top-level fields of the record being cut (see `fields`): whether the next string is a key, the last
  // key, what was read.
  private keyNext = false;
  private key = '';
  private found = noPrototype();
  private unsure = false;
  private readonly names: readonly string[];
  private readonly nameBytes: readonly Uint8Array[];
  private readonly values = new RecentTexts();

  /**
   * `fields`: the top-level string fields `keep` reads, when it reads no other; records are then judged on
   * those (read while cutting) and only the kept ones are parsed. Without it every record is parsed.
   */
  constructor(
    private readonly keep: ((raw: unknown) => boolean) | undefined,
    private readonly skipBelow: number,
    private readonly fields?: readonly string[],
  ) {
    this.names = [RECIPIENT, ...(fields ?? [])];
    this.nameBytes = this.names.map((name) => Buffer.from(name));
  }

  /** The kept records since the last call. */
  takeBatch(): KeptBatch {
    const batch = {
      json: `[${this.texts.join(',')}]`,
      indexes: this.indexes,
      escapes: this.escapes,
      scanned: this.scanned,
    };
    this.texts = [];
    this.indexes = [];
    this.escapes = [];
    this.batchChars = 0;
    return batch;
  }

  /** Scans a piece on from where the last one stopped; false when the file is not laid out as CloudTrail's. */
  feed(chunk: Uint8Array): boolean {
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.closed) return this.after(piece);
    if (!this.started) {
      const text = this.head.length > 0 ? Buffer.concat([this.head, piece]) : piece;
      const head = text.toString('utf8', 0, Math.min(text.length, OPEN_WITHIN));
      const open = OPEN.exec(head);
      if (!open) {
        this.head = text;
        return head.length < 64; // wait for more, unless it is surely not CloudTrail's layout
      }
      this.started = true;
      this.head = NONE;
      return this.scan(text, Buffer.byteLength(open[0]));
    }
    if (this.open.length === 0) return this.scan(piece, 0);
    // The record left open: its end found with the state the last piece ended in, then the record joined
    // (a copy of one record, not of the piece) and cut from its brace like any other.
    const close = this.closeIn(piece);
    if (close < 0) {
      this.open.push(piece);
      return true;
    }
    const record = Buffer.concat([...this.open, piece.subarray(0, close + 1)]);
    this.open = [];
    this.scan(record, 0);
    return this.scan(piece, close + 1);
  }

  /**
   * Cuts the records of text[from...] that close in it (`from` lies between records); the one left open
   * waits for the next piece, with the depth and string state its bytes end in.
   */
  private scan(text: Buffer, from: number): boolean {
    const end = text.length;
    const fields = this.fields !== undefined;
    let begin = -1;
    let depth = 0;
    // A backslash in the record, or in the string being read: only then can either hold an escape.
    let recordSlashed = false;
    let stringSlashed = false;
    let inString = false;
    let at = from;
    for (; at < end; at += 1) {
      const code = text[at] as number;
      if (code === QUOTE) {
        if (depth === 0) return false; // between records
        const start = at;
        stringSlashed = false;
        // To the closing quote, past escaped bytes; inlined, as most of a record's bytes are in strings.
        for (at += 1; at < end; at += 1) {
          const inner = text[at] as number;
          if (inner === QUOTE) break;
          if (inner === BACKSLASH) {
            stringSlashed = true;
            at += 1;
          }
        }
        recordSlashed ||= stringSlashed;
        if (at >= end) {
          inString = true; // it goes on in the next piece
          break;
        }
        if (depth === 1 && fields) this.topString(text, start + 1, at, stringSlashed);
        continue;
      }
      if (depth === 0) {
        // Between records only separators, a record's brace or the list's end.
        if (code === 123) {
          begin = at;
          depth = 1;
          this.keyNext = true;
          this.found = noPrototype();
          this.unsure = false;
          recordSlashed = false;
        } else if (code === 93) {
          this.closed = true;
          return this.after(text.subarray(at + 1));
        } else if (code !== 44 && code !== 32 && code !== 10 && code !== 13 && code !== 9) return false;
        continue;
      }
      if (depth === 1 && fields && (code === 44 || code === 58)) {
        this.keyNext = code === 44;
        // A value other than a string: the field is not a string (the last of a repeated key counts).
        if (code === 58 && this.key) this.found[this.key] = undefined;
      } else if (code === 123 || code === 91) depth += 1;
      else if (code === 125 || code === 93) {
        depth -= 1;
        if (depth === 0) {
          this.take(text, begin, at + 1, recordSlashed);
          begin = -1;
        }
      } else if (code === BACKSLASH) recordSlashed = true; // not JSON, but JSON.parse says so
    }
    if (begin >= 0) {
      // A view, not a copy: the piece it points into is let go once the record is joined.
      this.open = [text.subarray(begin)];
      this.depth = depth;
      this.inString = inString;
      this.escaped = at > end;
    }
    return true;
  }

  /**
   * Where the record left open closes in this piece, going on from the state the last one ended in; -1
   * when it goes on further still (the state is then where this piece ends).
   */
  private closeIn(piece: Buffer): number {
    const end = piece.length;
    let depth = this.depth;
    let at = 0;
    let inString = this.inString;
    if (inString && this.escaped) at = 1;
    for (; at < end; at += 1) {
      const code = piece[at] as number;
      if (inString) {
        if (code === QUOTE) inString = false;
        else if (code === BACKSLASH) at += 1;
      } else if (code === QUOTE) inString = true;
      else if (code === 123 || code === 91) depth += 1;
      else if (code === 125 || code === 93) {
        depth -= 1;
        if (depth === 0) return at;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = at > end;
    return -1;
  }

  /** Bytes after the list's end: read as text, so whatever follows `]` is judged as before. */
  private after(bytes: Buffer): boolean {
    this.tailBytes = this.tailBytes.length > 0 ? Buffer.concat([this.tailBytes, bytes]) : bytes;
    this.tail = this.tailBytes.toString('utf8');
    return this.tail.length < 64;
  }

  /** A string at the record's own level ended, in text[from, to): a key, or the value of a wanted one. */
  private topString(text: Buffer, from: number, to: number, slashed: boolean): void {
    if (this.keyNext) {
      // Compared in place: a record has some twenty keys, and only these few are wanted.
      this.key = '';
      for (let n = 0; n < this.names.length; n += 1)
        if (sameBytes(text, from, to, this.nameBytes[n] as Uint8Array)) this.key = this.names[n] as string;
      return;
    }
    if (!this.key) return;
    if (slashed)
      this.unsure = true; // an escape: JSON.parse tells what it says
    else this.found[this.key] = this.values.text(text, from, to);
  }

  private take(bytes: Buffer, from: number, to: number, slashed: boolean): void {
    const index = this.scanned;
    this.scanned += 1;
    // Only a \\u escape can spell a wanted key otherwise: a record with one is parsed.
    const escapesU = slashed && bytes.subarray(from, to).includes(BACKSLASH_U);
    let text: string;
    if (this.fields && this.keep && !this.unsure && !escapesU) {
      countRecipient(this.recipients, this.found[RECIPIENT]);
      if (index < this.skipBelow || !this.keep(this.found)) return;
      text = bytes.toString('utf8', from, to);
      JSON.parse(text); // a kept record must be JSON, as when every record is parsed
    } else {
      text = bytes.toString('utf8', from, to);
      const raw = JSON.parse(text) as unknown;
      countRecipient(this.recipients, (raw as { recipientAccountId?: unknown } | null)?.recipientAccountId);
      if (index < this.skipBelow || (this.keep && !this.keep(raw))) return;
    }
    if (SURROGATE_ESCAPE.test(text)) this.escapes.push(this.indexes.length);
    this.texts.push(text);
    this.indexes.push(index);
    this.batchChars += text.length;
  }
}

/** Counts a record's recipientAccountId, when it is a string. */
export function countRecipient(recipients: Record<string, number>, recipient: unknown): void {
  if (typeof recipient === 'string') recipients[recipient] = (recipients[recipient] ?? 0) + 1;
}

/** Whether text[from, to) holds exactly these bytes (a loop: cheaper than a call into C++ for a name). */
function sameBytes(text: Uint8Array, from: number, to: number, bytes: Uint8Array): boolean {
  if (to - from !== bytes.length) return false;
  for (let n = 0; n < bytes.length; n += 1) if (text[from + n] !== bytes[n]) return false;
  return true;
}

/**
 * The wanted values decoded lately, by their bytes: a trail repeats a few sources, names and one
 * recipient, so most values are found here instead of decoded again (a string each, for every record).
 */
class RecentTexts {
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];
  private next = 0;

  text(from: Buffer, start: number, end: number): string {
    for (let n = 0; n < this.bytes.length; n += 1)
      if (sameBytes(from, start, end, this.bytes[n] as Uint8Array)) return this.texts[n] as string;
    const text = from.toString('utf8', start, end);
    if (end - start <= 64) {
      // Round robin over a few: enough for a trail's common values, few enough to look through.
      this.bytes[this.next] = Uint8Array.prototype.slice.call(from, start, end);
      this.texts[this.next] = text;
      this.next = (this.next + 1) % 32;
    }
    return text;
  }
}

/** A record of fields without a prototype, so a key such as `toString` or `__proto__` is only a key. */
function noPrototype(): Record<string, string | undefined> {
  return Object.create(null) as Record<string, string | undefined>;
}

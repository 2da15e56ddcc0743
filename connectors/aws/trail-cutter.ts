import type { KeptBatch } from './trail-split.js';

const OPEN = /^\s*\{\s*"Records"\s*:\s*\[/;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const QUOTE = 34;
const BACKSLASH = 92;
const RECIPIENT = 'recipientAccountId';

/**
 * Cuts the elements of a CloudTrail file's `Records` list out of its text as it arrives, piece by piece:
 * each at its closing brace, parsed alone, counted by recipient and kept (as its text) when the filter
 * wants it. Holds the unfinished record and the kept texts not yet taken, nothing else.
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
  private pending = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private begin = -1;
  // Top-level fields of the record being cut (see `fields`): where a string at the record's own level
  // starts (from the record's brace), whether the next one is a key, the last key, what was read.
  private stringFrom = -1;
  private keyNext = false;
  private key = '';
  private found = noPrototype();
  private unsure = false;
  private readonly names: readonly string[];

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
  feed(chunk: string): boolean {
    if (this.closed) {
      this.tail += chunk;
      return this.tail.length < 64;
    }
    const text = this.pending + chunk;
    let at = this.pending.length;
    if (!this.started) {
      const open = OPEN.exec(text);
      if (!open) {
        this.pending = text;
        return text.length < 64; // wait for more, unless it is surely not CloudTrail's layout
      }
      this.started = true;
      at = open[0].length;
    }
    if (this.begin >= 0) this.begin = 0;
    for (; at < text.length; at += 1) {
      const code = text.charCodeAt(at);
      if (this.inString) {
        at = this.stringEnd(text, at);
        if (!this.inString && this.stringFrom >= 0)
          this.topString(text, this.begin + this.stringFrom + 1, at);
        continue;
      }
      if (this.depth === 0) {
        // Between records only separators, a record's brace or the list's end.
        if (code === 123) {
          this.begin = at;
          this.depth = 1;
          this.keyNext = true;
          this.found = noPrototype();
          this.unsure = false;
        } else if (code === 93) {
          this.closed = true;
          this.tail = text.slice(at + 1);
          this.pending = '';
          return this.tail.length < 64;
        } else if (code !== 44 && code !== 32 && code !== 10 && code !== 13 && code !== 9) return false;
        continue;
      }
      if (code === QUOTE) {
        this.inString = true;
        this.stringFrom = this.depth === 1 && this.fields ? at - this.begin : -1;
      } else if (this.depth === 1 && this.fields && (code === 44 || code === 58)) {
        this.keyNext = code === 44;
        // A value other than a string: the field is not a string (the last of a repeated key counts).
        if (code === 58 && this.key) this.found[this.key] = undefined;
      } else if (code === 123 || code === 91) this.depth += 1;
      else if (code === 125 || code === 93) {
        this.depth -= 1;
        if (this.depth === 0) {
          this.take(text.slice(this.begin, at + 1));
          this.begin = -1;
        }
      }
    }
    this.pending = this.begin >= 0 ? text.slice(this.begin) : '';
    return true;
  }

  /** A string at the record's own level ended, in text[from, to): a key, or the value of a wanted one. */
  private topString(text: string, from: number, to: number): void {
    if (this.keyNext) {
      // Compared in place: a record has some twenty keys, and only these few are wanted.
      this.key = '';
      for (const name of this.names)
        if (name.length === to - from && text.startsWith(name, from)) this.key = name;
      return;
    }
    if (!this.key) return;
    const value = text.slice(from, to);
    if (value.includes('\\'))
      this.unsure = true; // an escape: JSON.parse tells what it says
    else this.found[this.key] = value;
  }

  private take(text: string): void {
    const index = this.scanned;
    this.scanned += 1;
    // Only a \\u escape can spell a wanted key otherwise: a record with one is parsed.
    if (this.fields && this.keep && !this.unsure && !text.includes('\\u')) {
      const recipient = this.found[RECIPIENT];
      if (recipient !== undefined) this.recipients[recipient] = (this.recipients[recipient] ?? 0) + 1;
      if (index < this.skipBelow || !this.keep(this.found)) return;
      JSON.parse(text); // a kept record must be JSON, as when every record is parsed
    } else {
      const raw = JSON.parse(text) as unknown;
      const recipient = (raw as { recipientAccountId?: unknown } | null)?.recipientAccountId;
      if (typeof recipient === 'string') this.recipients[recipient] = (this.recipients[recipient] ?? 0) + 1;
      if (index < this.skipBelow || (this.keep && !this.keep(raw))) return;
    }
    if (SURROGATE_ESCAPE.test(text)) this.escapes.push(this.indexes.length);
    this.texts.push(text);
    this.indexes.push(index);
    this.batchChars += text.length;
  }

  /** Where the string the scan is in ends (its closing quote), or the piece's last index, noting an escape. */
  private stringEnd(text: string, from: number): number {
    let at = from;
    if (this.escaped) {
      this.escaped = false;
      at += 1;
    }
    for (;;) {
      const quote = text.indexOf('"', at);
      if (quote < 0) {
        let slashes = 0;
        while (slashes < text.length - at && text.charCodeAt(text.length - 1 - slashes) === BACKSLASH)
          slashes += 1;
        this.escaped = slashes % 2 === 1;
        return text.length - 1;
      }
      let slashes = 0;
      while (quote - 1 - slashes >= at && text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes += 1;
      if (slashes % 2 === 0) {
        this.inString = false;
        return quote;
      }
      at = quote + 1;
    }
  }
}

/** A record of fields without a prototype, so a key such as `toString` or `__proto__` is only a key. */
function noPrototype(): Record<string, string | undefined> {
  return Object.create(null) as Record<string, string | undefined>;
}

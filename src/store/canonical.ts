import { hash } from 'node:crypto';

// RFC 8785 (JSON Canonicalization Scheme): the same payload always hashes the same. Written here rather
// than taken from the `canonicalize` package because it runs once per stored item and is the hottest step of
// ingestion: parts are collected and joined once (a flat string, where `+=` builds a rope that hashing must
// flatten again), and strings are escaped natively only where they need it. Together with the hash, ~3x
// faster. test/unit/canonical.test.ts holds it to the package's output on generated values.

// Characters that JSON.stringify would escape, plus everything outside ASCII (checked for lone surrogates).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_CARE = /["\\\u0000-\u001f\u007f-\uffff]/;

function invalid(message: string): never {
  throw new Error(`value cannot be canonicalised: ${message}`);
}

function text(value: string, out: string[]): void {
  if (!NEEDS_CARE.test(value)) out.push('"', value, '"');
  else out.push(value.isWellFormed() ? JSON.stringify(value) : invalid('lone surrogate in a string'));
}

function serialise(value: unknown, out: string[], ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
      return text(value, out);
    case 'number':
      // ECMAScript's number serialisation is the one RFC 8785 prescribes.
      out.push(Number.isFinite(value) ? JSON.stringify(value) : invalid(`${value} is not a JSON number`));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) out.push('null');
      else {
        if (ancestors.includes(value)) invalid('circular reference');
        ancestors.push(value);
        serialiseObject(value as Record<string, unknown>, out, ancestors);
        ancestors.pop();
      }
      return;
    default:
      out.push(JSON.stringify(value) ?? invalid(`${typeof value} is not JSON`));
  }
}

function serialiseObject(value: Record<string, unknown>, out: string[], ancestors: object[]): void {
  if (typeof value.toJSON === 'function') {
    serialise((value.toJSON as () => unknown)(), out, ancestors);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let index = 0; index < value.length; index += 1) {
      const entry: unknown = value[index];
      if (index > 0) out.push(',');
      if (entry === undefined || typeof entry === 'symbol') out.push('null');
      else serialise(entry, out, ancestors);
    }
    out.push(']');
    return;
  }
  // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
  const keys = Object.keys(value).sort();
  let first = true;
  out.push('{');
  for (const key of keys) {
    const entry = value[key];
    if (entry === undefined || typeof entry === 'symbol' || typeof entry === 'function') continue;
    if (!first) out.push(',');
    first = false;
    text(key, out);
    out.push(':');
    serialise(entry, out, ancestors);
  }
  out.push('}');
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) invalid('undefined is not JSON');
  const out: string[] = [];
  serialise(value, out, []);
  return out.join('');
}

export function sha256(content: string): string {
  // The one-shot hash skips the Hash object: half the cost for item-sized inputs.
  return hash('sha256', content, 'hex');
}

export const GENESIS_HASH = '0'.repeat(64);
/** The fields a chain link covers; changing any of them, or the order of rows, breaks the chain. */
export interface ChainedRow {
  stream: string;
  item_key: string;
  version: number;
  seq: number;
  occurred_at: number;
  collected_at: number;
  run_id: string;
  criteria: string;
  iso_controls: string;
  payload_sha256: string;
  exceptions: string;
}

export function chainHash(prevHash: string, row: ChainedRow): string {
  return sha256(
    // An array of strings and integers serialises the same way every time: no canonicaliser needed.
    `${prevHash}\n${JSON.stringify([
      row.stream,
      row.item_key,
      row.version,
      row.seq,
      row.occurred_at,
      row.collected_at,
      row.run_id,
      row.criteria,
      row.iso_controls,
      row.payload_sha256,
      row.exceptions,
    ])}`,
  );
}

/**
 * Where a value fails canonicalisation ("lone surrogate in a string at userIdentity.userName"): the slow
 * walk run only after canonicalJson threw, so the reject names the field.
 */
export function whyNotCanonical(value: unknown): string {
  const walk = (entry: unknown, at: string, ancestors: object[]): string | undefined => {
    if (typeof entry === 'string')
      return entry.isWellFormed() ? undefined : `lone surrogate in a string at ${at || '(root)'}`;
    if (typeof entry === 'number')
      return Number.isFinite(entry) ? undefined : `${entry} is not a JSON number at ${at || '(root)'}`;
    if (typeof entry === 'bigint') return `bigint is not JSON at ${at || '(root)'}`;
    if (typeof entry !== 'object' || entry === null) return undefined;
    if (ancestors.includes(entry)) return `circular reference at ${at || '(root)'}`;
    ancestors.push(entry);
    for (const [key, inner] of Object.entries(entry)) {
      const bad = key.isWellFormed()
        ? walk(inner, at ? `${at}.${key}` : key, ancestors)
        : `lone surrogate in a key at ${at || '(root)'}`;
      if (bad) return bad;
    }
    ancestors.pop();
    return undefined;
  };
  try {
    canonicalJson(value);
    return 'value can be canonicalised';
  } catch (error) {
    return walk(value, '', []) ?? (error as Error).message.replace(/^value cannot be canonicalised: /, '');
  }
}

import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// RFC 8785 (JSON Canonicalization Scheme): the same payload always hashes the same.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be represented as JSON');
  return text;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
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

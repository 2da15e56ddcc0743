import type SQLite from 'better-sqlite3';
import type { NewEvidenceItem } from './schema.js';

const COLUMNS = [
  'stream',
  'item_key',
  'version',
  'seq',
  'occurred_at',
  'collected_at',
  'run_id',
  'criteria',
  'iso_controls',
  'payload',
  'payload_sha256',
  'exceptions',
  'exception_count',
  'quiet',
  'prev_hash',
  'row_hash',
] as const;

interface Statements {
  latest: SQLite.Statement<[string, string], { version: number; payload_sha256: string }>;
  insert: SQLite.Statement<unknown[]>;
}

const cache = new WeakMap<SQLite.Database, Statements>();

/** Prepared once per connection: point lookups and single-row inserts, run inside the caller's transaction. */
function statements(database: SQLite.Database): Statements {
  let prepared = cache.get(database);
  if (!prepared) {
    prepared = {
      latest: database.prepare(
        'SELECT version, payload_sha256 FROM evidence_items WHERE stream = ? AND item_key = ? ORDER BY version DESC LIMIT 1',
      ),
      insert: database.prepare(
        `INSERT INTO evidence_items (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
      ),
    };
    cache.set(database, prepared);
  }
  return prepared;
}

export function latestVersions(
  database: SQLite.Database,
  stream: string,
  keys: readonly string[],
): Map<string, { version: number; sha: string }> {
  const { latest } = statements(database);
  const found = new Map<string, { version: number; sha: string }>();
  for (const key of keys) {
    const row = latest.get(stream, key);
    if (row) found.set(key, { version: row.version, sha: row.payload_sha256 });
  }
  return found;
}

export function insertRows(database: SQLite.Database, rows: readonly NewEvidenceItem[]): void {
  const { insert } = statements(database);
  for (const row of rows) insert.run(COLUMNS.map((column) => row[column] ?? null));
}

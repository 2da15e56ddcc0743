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

// Rows per INSERT statement: one native call per 64 rows instead of per row (64 x 16 parameters stays far
// below SQLite's limit of 32,766).
const ROWS_PER_STATEMENT = 64;

interface Statements {
  latest: SQLite.Statement<[string, string], { version: number; payload_sha256: string }>;
  insertOne: SQLite.Statement<unknown[]>;
  insertMany: SQLite.Statement<unknown[]>;
}

const cache = new WeakMap<SQLite.Database, Statements>();

function insertSql(rows: number): string {
  const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO evidence_items (${COLUMNS.join(', ')}) VALUES ${Array(rows).fill(tuple).join(', ')}`;
}

/** Prepared once per connection: point lookups and inserts, run inside the caller's transaction. */
function statements(database: SQLite.Database): Statements {
  let prepared = cache.get(database);
  if (!prepared) {
    prepared = {
      latest: database.prepare(
        'SELECT version, payload_sha256 FROM evidence_items WHERE stream = ? AND item_key = ? ORDER BY version DESC LIMIT 1',
      ),
      insertOne: database.prepare(insertSql(1)),
      insertMany: database.prepare(insertSql(ROWS_PER_STATEMENT)),
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

function pushValues(values: unknown[], row: NewEvidenceItem): void {
  values.push(
    row.stream,
    row.item_key,
    row.version,
    row.seq,
    row.occurred_at,
    row.collected_at,
    row.run_id,
    row.criteria,
    row.iso_controls,
    row.payload,
    row.payload_sha256,
    row.exceptions,
    row.exception_count,
    row.quiet ?? 0,
    row.prev_hash,
    row.row_hash,
  );
}

export function insertRows(database: SQLite.Database, rows: readonly NewEvidenceItem[]): void {
  const { insertOne, insertMany } = statements(database);
  let index = 0;
  for (; index + ROWS_PER_STATEMENT <= rows.length; index += ROWS_PER_STATEMENT) {
    const values: unknown[] = [];
    for (let n = index; n < index + ROWS_PER_STATEMENT; n += 1)
      pushValues(values, rows[n] as NewEvidenceItem);
    insertMany.run(values);
  }
  for (; index < rows.length; index += 1) {
    const values: unknown[] = [];
    pushValues(values, rows[index] as NewEvidenceItem);
    insertOne.run(values);
  }
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { cachingDatabase } from './statement-cache.js';
import pg from 'pg';
import { UsageError } from '../errors.js';
import { migrations } from './migrations/index.js';
import { STORE_URL_EXPECTED, storeUrlScheme } from '../config/store-url.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

// int8 columns hold epoch milliseconds, well inside Number's safe range.
pg.types.setTypeParser(20, (value) => Number(value));

export interface EvidenceStore {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** A printable location with any password removed. */
  readonly location: string;
  /**
   * The SQLite connection under Kysely, for the one hot path (evidence inserts) where prepared statements
   * are several times faster than building a multi-row insert. Same connection, so same transaction.
   */
  readonly sqlite?: SQLite.Database;
  close(): Promise<void>;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Opens the store named by `url`: `file:PATH` (SQLite) or `postgres://...` (PostgreSQL). A `schema`
 * query parameter on a PostgreSQL URL isolates a store inside a shared database (tests use it).
 */
export async function openStore(url: string, baseDir = process.cwd()): Promise<EvidenceStore> {
  let store: EvidenceStore;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema');
    parsed.searchParams.delete('schema');
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new UsageError(`store: schema "${schema}" must be a lower-case identifier`);
    const pool = new pg.Pool({ connectionString: parsed.toString(), max: 10 });
    // An idle client dies when the server restarts; without a listener pg re-emits that as an uncaught
    // error and the process exits. The pool replaces the client; queries in flight fail and are retried.
    pool.on('error', () => undefined);
    if (schema) {
      pool.on('connect', (client) => {
        client.query(`SET search_path TO ${schema}`).catch(() => undefined);
      });
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`SET search_path TO ${schema}`);
      } finally {
        client.release();
      }
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect: 'postgres', location: redactUrl(url), close: () => db.destroy() };
  } else if (url.startsWith('file:')) {
    const file = path.resolve(baseDir, url.slice('file:'.length));
    mkdirSync(path.dirname(file), { recursive: true });
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 15000');
    // Ingestion inserts into four B-trees at random places; a 16 MiB page cache (the default is 2 MiB)
    // keeps their hot pages in memory instead of re-reading them from the OS on every batch.
    database.pragma('cache_size = -16384');
    // Checkpoint every ~40 MB of WAL instead of every 4 MB: each checkpoint syncs the file twice, and a batch
    // of items with random keys dirties about a page per item.
    database.pragma('wal_autocheckpoint = 10000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(database) }) });
    store = { db, dialect: 'sqlite', location: file, sqlite: database, close: () => db.destroy() };
  } else {
    // The config loader names where a bad URL came from; this is for callers that pass one directly.
    throw new UsageError(`store: expected ${STORE_URL_EXPECTED}, got "${storeUrlScheme(url)}"`);
  }
  await migrate(store);
  return store;
}

/** Applies pending migrations once, even when several workers start together. */
async function migrate(store: EvidenceStore): Promise<void> {
  const db = store.db as unknown as Kysely<{ schema_migrations: { name: string; applied_at: number } }>;
  await db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(4242001)`.execute(trx);
    else
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text primary key, applied_at integer not null)`.execute(
        trx,
      );
    if (store.dialect === 'postgres') {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text primary key, applied_at bigint not null)`.execute(
        trx,
      );
    }
    const applied = new Set(
      (await trx.selectFrom('schema_migrations').select('name').execute()).map((row) => row.name),
    );
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(trx as unknown as Kysely<unknown>, store.dialect);
      await trx
        .insertInto('schema_migrations')
        .values({ name: migration.name, applied_at: Date.now() })
        .execute();
    }
  });
}

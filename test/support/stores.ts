import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type EvidenceStore } from '../../src/store/open-store.js';

export type StoreKind = 'sqlite' | 'postgres';
export const storeKinds: readonly StoreKind[] = ['sqlite', 'postgres'];

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh, isolated store URL: a temp SQLite file, or a new schema in the test PostgreSQL database. */
export function freshStoreUrl(kind: StoreKind): string {
  if (kind === 'sqlite')
    return `file:${path.join(mkdtempSync(path.join(tmpdir(), 'ew-store-')), 'evidence.db')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', `t_${randomBytes(6).toString('hex')}`);
  return url.toString();
}

export async function freshStore(kind: StoreKind): Promise<{ store: EvidenceStore; url: string }> {
  const url = freshStoreUrl(kind);
  return { store: await openStore(url), url };
}

/** Runs raw SQL against the store's own connection (to tamper with rows in tests). */
export async function rawSql(store: EvidenceStore, text: string): Promise<void> {
  const { sql } = await import('kysely');
  await sql.raw(text).execute(store.db);
}

/** Drops the schema of a PostgreSQL test store. */
export async function dropStore(url: string): Promise<void> {
  if (!url.startsWith('postgres')) return;
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (!schema) return;
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

/** A Redis key prefix of its own, so test files never see each other's queues. */
export function freshRedisPrefix(): string {
  return `ewtest-${randomBytes(4).toString('hex')}`;
}

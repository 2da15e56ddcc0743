import pg from 'pg';
import { LedgerReads } from '../../src/store/ledger-reads.js';
import { openStore, type EvidenceStore } from '../../src/store/open-store.js';

/**
 * Windows settled so far (succeeded or unrecoverable), read from the ledger of a store a CLI is writing.
 * PostgreSQL is asked through a fresh client per look, so a drill that restarts the server never holds a
 * pooled connection that dies with it.
 */
export class LedgerProbe {
  private sqlite: EvidenceStore | undefined;

  constructor(private readonly url: string) {}

  async settled(stream?: string): Promise<number> {
    const text =
      "select count(*) as n from (select distinct stream, window_start from runs where status in ('succeeded', 'unrecoverable')" +
      (stream ? ' and stream = $1' : '') +
      ') settled';
    try {
      if (this.url.startsWith('postgres')) return await this.postgresCount(text, stream ? [stream] : []);
      this.sqlite ??= await openStore(this.url);
      let query = this.sqlite.db
        .selectFrom('runs')
        .select(['stream', 'window_start'])
        .distinct()
        .where('status', 'in', ['succeeded', 'unrecoverable']);
      if (stream) query = query.where('stream', '=', stream);
      return (await query.execute()).length;
    } catch {
      // The store may be restarting or not yet created: no progress seen, ask again later.
      return -1;
    }
  }

  /** Runs in progress (SQLite stores only): the windows a kill would interrupt. */
  async running(): Promise<{ window: string; attempt: number; id: string }[]> {
    try {
      this.sqlite ??= await openStore(this.url);
      const rows = await this.sqlite.db
        .selectFrom('runs')
        .select(['id', 'stream', 'window_start', 'attempt'])
        .where('status', '=', 'running')
        .execute();
      return rows.map((row) => ({
        window: `${row.stream}@${row.window_start}`,
        attempt: row.attempt,
        id: row.id,
      }));
    } catch {
      return [];
    }
  }

  /** The error codes of the stream's failed runs so far (SQLite stores only), read through the ledger's reader. */
  async failureCodes(stream: string): Promise<Set<string>> {
    try {
      this.sqlite ??= await openStore(this.url);
      const failed = await new LedgerReads(this.sqlite).forStream(stream, 0, Number.MAX_SAFE_INTEGER, [
        'failed',
      ]);
      return new Set(failed.map((run) => run.error_code ?? ''));
    } catch {
      return new Set(); // not created yet
    }
  }

  private async postgresCount(text: string, values: string[]): Promise<number> {
    const parsed = new URL(this.url);
    const schema = parsed.searchParams.get('schema');
    parsed.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: parsed.toString(), connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (schema) await client.query(`SET search_path TO ${schema}`);
      const result = await client.query<{ n: string }>(text, values);
      return Number(result.rows[0]?.n ?? 0);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.sqlite?.close();
  }
}

/** Creates and migrates a store before any CLI opens it, so a probe and a CLI never race on migrations. */
export async function prepareStore(url: string): Promise<void> {
  const store = await openStore(url);
  await store.close();
}

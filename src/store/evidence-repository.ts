import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { ItemException } from '../stream.js';
import { canonicalJson, chainHash, GENESIS_HASH, sha256, type ChainedRow } from './canonical.js';
import type { EvidenceStore } from './open-store.js';
import type { Database, EvidenceItemRow, EvidenceItemsTable, NewEvidenceItem } from './schema.js';
import { insertRows, latestVersions } from './sqlite-fast-path.js';

/** An item ready to store: validated, canonicalised and hashed by the runner. */
export interface PreparedItem {
  key: string;
  occurredAt: number;
  payload: string;
  payloadSha256: string;
  exceptions: readonly ItemException[];
  quiet: boolean;
}

export interface WriteCounts {
  new: number;
  unchanged: number;
  changed: number;
}

export interface WriteContext {
  stream: string;
  runId: string;
  collectedAt: number;
  criteria: readonly string[];
  isoControls: readonly string[];
}

export function prepareItem(item: {
  key: string;
  occurredAt: number;
  payload: unknown;
  exceptions?: readonly ItemException[];
  quiet?: boolean;
}): PreparedItem {
  const payload = canonicalJson(item.payload);
  return {
    key: item.key,
    occurredAt: item.occurredAt,
    payload,
    payloadSha256: sha256(payload),
    exceptions: item.exceptions ?? [],
    quiet: item.quiet ?? false,
  };
}

/**
 * A period's population is each item as last observed by the period's end: no newer version of the same
 * key occurred before `end`. A version that occurred later (a ticket updated after the period) belongs to
 * later periods and must not push the item out of this one.
 */
function latestVersionBy(end: number) {
  return ({ not, exists, selectFrom }: ExpressionBuilder<Database & { e: EvidenceItemsTable }, 'e'>) =>
    not(
      exists(
        selectFrom('evidence_items as newer')
          .select(sql`1`.as('one'))
          .whereRef('newer.stream', '=', 'e.stream')
          .whereRef('newer.item_key', '=', 'e.item_key')
          .whereRef('newer.version', '>', 'e.version')
          // `+ 0`: the lookup must stay a seek on (stream, item_key, version); on occurred_at the planner
          // would walk the stream's timeline for every row.
          .where(sql<number>`${sql.ref('newer.occurred_at')} + 0`, '<', end),
      ),
    );
}

/**
 * One keyset page of a stream's population, in (occurred_at, id) order: the order of the timeline index
 * (migration 0006), so each page is a seek and a short walk, never a sort of what remains.
 */
export function populationPageQuery(
  store: EvidenceStore,
  stream: string,
  period: { start: number; end: number },
  after: { occurredAt: number; id: number },
  pageSize: number,
) {
  return (
    store.db
      .selectFrom('evidence_items as e')
      .selectAll('e')
      .where('e.stream', '=', stream)
      // The index range starts at the page's own start: bounded by the period's start alone, SQLite walked
      // every earlier page again for each page (quadratic in the population; small pages made it show).
      .where('e.occurred_at', '>=', Math.max(period.start, after.occurredAt))
      .where('e.occurred_at', '<', period.end)
      .where((eb) =>
        eb.or([
          eb('e.occurred_at', '>', after.occurredAt),
          eb.and([eb('e.occurred_at', '=', after.occurredAt), eb('e.id', '>', after.id)]),
        ]),
      )
      .where(latestVersionBy(period.end))
      .orderBy('e.occurred_at')
      .orderBy('e.id')
      .limit(pageSize)
  );
}

const LOOKUP_CHUNK = 500;
const NO_EXCEPTIONS = '[]';
const INSERT_CHUNK = 400;

/**
 * Evidence items are append-only: a new key is version 1, a changed payload for a known key is the next
 * version, an identical payload is `unchanged` and writes nothing. Every stored row extends the stream's
 * hash chain; one transaction per batch, serialised per stream on the chain head.
 */
export class EvidenceRepository {
  constructor(private readonly store: EvidenceStore) {}

  async write(context: WriteContext, items: readonly PreparedItem[]): Promise<WriteCounts> {
    const counts: WriteCounts = { new: 0, unchanged: 0, changed: 0 };
    if (items.length === 0) return counts;
    const criteria = canonicalJson([...context.criteria]);
    const isoControls = canonicalJson([...context.isoControls]);
    await this.store.db.transaction().execute(async (trx) => {
      // Taking the chain head first serialises writers of one stream (row lock / SQLite write lock).
      await trx
        .insertInto('chain_heads')
        .values({ stream: context.stream, seq: 0, hash: GENESIS_HASH })
        .onConflict((conflict) => conflict.column('stream').doNothing())
        .execute();
      let headQuery = trx
        .selectFrom('chain_heads')
        .select(['seq', 'hash'])
        .where('stream', '=', context.stream);
      if (this.store.dialect === 'postgres') headQuery = headQuery.forUpdate();
      const head = await headQuery.executeTakeFirstOrThrow();

      const keys = [...new Set(items.map((item) => item.key))];
      const latest = this.store.sqlite
        ? latestVersions(this.store.sqlite, context.stream, keys)
        : await this.latestVersions(trx, context.stream, keys);

      let seq = Number(head.seq);
      let prevHash = head.hash;
      const rows: NewEvidenceItem[] = [];
      for (const item of items) {
        const known = latest.get(item.key);
        if (known && known.sha === item.payloadSha256) {
          counts.unchanged += 1;
          continue;
        }
        if (known) counts.changed += 1;
        else counts.new += 1;
        const version = (known?.version ?? 0) + 1;
        seq += 1;
        const exceptions = item.exceptions.length === 0 ? NO_EXCEPTIONS : canonicalJson([...item.exceptions]);
        // One object literal per row, no spreads: this loop runs once per stored item.
        const row: NewEvidenceItem = {
          stream: context.stream,
          item_key: item.key,
          version,
          seq,
          occurred_at: item.occurredAt,
          collected_at: context.collectedAt,
          run_id: context.runId,
          criteria,
          iso_controls: isoControls,
          payload: item.payload,
          payload_sha256: item.payloadSha256,
          exceptions,
          exception_count: item.exceptions.length,
          quiet: item.quiet ? 1 : 0,
          prev_hash: prevHash,
          row_hash: '',
        };
        const rowHash = chainHash(prevHash, row as ChainedRow);
        row.row_hash = rowHash;
        rows.push(row);
        prevHash = rowHash;
        latest.set(item.key, { version, sha: item.payloadSha256 });
      }
      if (this.store.sqlite) insertRows(this.store.sqlite, rows);
      else {
        for (let index = 0; index < rows.length; index += INSERT_CHUNK) {
          await trx
            .insertInto('evidence_items')
            .values(rows.slice(index, index + INSERT_CHUNK))
            .execute();
        }
      }
      if (rows.length > 0) {
        await trx
          .updateTable('chain_heads')
          .set({ seq, hash: prevHash })
          .where('stream', '=', context.stream)
          .execute();
      }
    });
    return counts;
  }

  private async latestVersions(
    trx: Transaction<Database>,
    stream: string,
    keys: readonly string[],
  ): Promise<Map<string, { version: number; sha: string }>> {
    const latest = new Map<string, { version: number; sha: string }>();
    for (let index = 0; index < keys.length; index += LOOKUP_CHUNK) {
      const rows = await trx
        .selectFrom('evidence_items')
        .select(['item_key', 'version', 'payload_sha256'])
        .where('stream', '=', stream)
        .where('item_key', 'in', keys.slice(index, index + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) {
        const known = latest.get(row.item_key);
        if (!known || row.version > known.version)
          latest.set(row.item_key, { version: row.version, sha: row.payload_sha256 });
      }
    }
    return latest;
  }

  /**
   * The population of [from, to): per key, the latest version that occurred before `to`, when it occurred
   * at or after `from`; in occurredAt order. (Count: `countPopulation`, the keys with a version in range.)
   */
  async *population(
    stream: string,
    from: number,
    to: number,
    pageSize = 500,
  ): AsyncGenerator<EvidenceItemRow> {
    let after = { occurredAt: from - 1, id: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const page = await populationPageQuery(
        this.store,
        stream,
        { start: from, end: to },
        after,
        pageSize,
      ).execute();
      for (const row of page) yield row;
      const last = page.at(-1);
      if (!last || page.length < pageSize) return;
      after = { occurredAt: Number(last.occurred_at), id: Number(last.id) };
    }
  }

  /** Items of the population (each as observed by `to`) that carry at least one exception. */
  async countFlagged(stream: string, from: number, to: number): Promise<number> {
    const row = await this.store.db
      .selectFrom('evidence_items as e')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('e.stream', '=', stream)
      .where('e.occurred_at', '>=', from)
      .where('e.occurred_at', '<', to)
      .where('e.exception_count', '>', 0)
      .where(latestVersionBy(to))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async countPopulation(stream: string, from: number, to: number): Promise<number> {
    const row = await this.store.db
      .selectFrom('evidence_items as e')
      .select((eb) => eb.fn.count<number>('e.item_key').distinct().as('count'))
      .where('e.stream', '=', stream)
      .where('e.occurred_at', '>=', from)
      .where('e.occurred_at', '<', to)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

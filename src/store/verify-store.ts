import { chainHash, GENESIS_HASH, sha256 } from './canonical.js';
import type { ChainHead } from './chain-heads.js';
import type { EvidenceStore } from './open-store.js';
import { RunLedger, type EvidenceShortfall } from './run-ledger.js';
import { verifyAnchors } from './verify-anchors.js';
import type { Window } from '../time.js';

export interface ChainProblem {
  readonly stream: string;
  readonly id: number | null;
  readonly itemKey: string | null;
  readonly version: number | null;
  readonly seq: number;
  readonly problem: string;
  /** Set when the ledger names the problem: the run whose evidence is missing and its window. */
  readonly runId?: string;
  readonly window?: Window;
}

export interface VerifyReport {
  readonly streams: number;
  readonly rows: number;
  readonly problems: readonly ChainProblem[];
  /** Succeeded runs whose recorded items are not (all) in the store, as the ledger counts them. */
  readonly shortfalls: readonly EvidenceShortfall[];
  /** Heads checked against an earlier anchor (`--since MANIFEST.json`). */
  readonly anchorsChecked: number;
}

export interface VerifyOptions {
  /** Chain heads anchored outside the store (a package's MANIFEST.json): the chain must still extend each. */
  readonly since?: readonly ChainHead[];
}

/**
 * Recomputes every payload hash and every chain link, stream by stream, in `seq` order. An edited row breaks
 * its payload hash or its link; a deleted row leaves a hole in `seq` or a head that no row reaches. Rows
 * deleted together with their head (or a tail cut with the head moved back) leave a consistent chain, so
 * the ledger is asked too: every succeeded run's new and changed items must still carry its id. With
 * `since`, every anchored head must still be a row of the chain with the same hash (no truncation, no
 * rewritten tail).
 */
export async function verifyStore(
  store: EvidenceStore,
  pageSize = 5_000,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const heads = await store.db.selectFrom('chain_heads').selectAll().orderBy('stream').execute();
  const problems: ChainProblem[] = [];
  let rows = 0;
  const streams = new Set(heads.map((head) => head.stream));
  const orphanStreams = await store.db.selectFrom('evidence_items').select('stream').distinct().execute();
  for (const { stream } of orphanStreams) {
    if (!streams.has(stream))
      problems.push({
        stream,
        id: null,
        itemKey: null,
        version: null,
        seq: 0,
        problem: 'rows exist but the chain head is missing',
      });
  }
  for (const head of heads) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let afterSeq = 0;
    for (;;) {
      const page = await store.db
        .selectFrom('evidence_items')
        .selectAll()
        .where('stream', '=', head.stream)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of page) {
        rows += 1;
        const at = {
          stream: row.stream,
          id: Number(row.id),
          itemKey: row.item_key,
          version: row.version,
          seq: Number(row.seq),
        };
        if (Number(row.seq) !== expectedSeq) {
          problems.push({
            ...at,
            problem: `rows ${expectedSeq}..${Number(row.seq) - 1} of the chain are missing (deleted)`,
          });
        }
        if (sha256(row.payload) !== row.payload_sha256) {
          problems.push({ ...at, problem: 'payload does not match its SHA-256 (edited)' });
        }
        if (row.prev_hash !== prevHash)
          problems.push({ ...at, problem: 'link to the previous row is broken' });
        const expected = chainHash(row.prev_hash, {
          ...row,
          seq: Number(row.seq),
          occurred_at: Number(row.occurred_at),
          collected_at: Number(row.collected_at),
        });
        if (expected !== row.row_hash)
          problems.push({ ...at, problem: 'row hash does not match its fields (edited)' });
        prevHash = row.row_hash;
        expectedSeq = Number(row.seq) + 1;
      }
      const last = page.at(-1);
      if (!last || page.length < pageSize) break;
      afterSeq = Number(last.seq);
    }
    if (expectedSeq - 1 !== Number(head.seq) || prevHash !== head.hash) {
      problems.push({
        stream: head.stream,
        id: null,
        itemKey: null,
        version: null,
        seq: Number(head.seq),
        problem: `chain ends at row ${expectedSeq - 1} but its head records row ${Number(head.seq)} (rows deleted or head edited)`,
      });
    }
  }
  const shortfalls = await new RunLedger(store).evidenceShortfalls();
  for (const shortfall of shortfalls) problems.push(shortfallProblem(shortfall));
  if (options.since) problems.push(...(await verifyAnchors(store, options.since)));
  return {
    streams: heads.length,
    rows,
    problems,
    shortfalls,
    anchorsChecked: options.since?.length ?? 0,
  };
}

function shortfallProblem(shortfall: EvidenceShortfall): ChainProblem {
  const { recorded, stored } = shortfall;
  const problem =
    stored < recorded
      ? `the ledger recorded ${recorded} new or changed items; ${stored} are in the store (${recorded - stored} missing: deleted)`
      : `${stored} rows carry this run's id but it recorded ${recorded} new or changed items (rows added)`;
  return {
    stream: shortfall.stream,
    id: null,
    itemKey: null,
    version: null,
    seq: 0,
    problem,
    runId: shortfall.runId,
    window: shortfall.window,
  };
}

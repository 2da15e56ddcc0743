import { afterEach, describe, expect, it } from 'vitest';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { chainHash, sha256, type ChainedRow } from '../../src/store/canonical.js';
import { readChainHeads, type ChainHead } from '../../src/store/chain-heads.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { verifyStore } from '../../src/store/verify-store.js';
import { DAY, gridWindows, HOUR } from '../../src/time.js';
import { collectHistory, openHarness, type Harness } from '../continuity/harness.js';
import { storeKinds } from '../support/stores.js';

const DAY0 = Date.UTC(2026, 2, 1);
const STREAM = 'fakesrc-changes';
const OTHER = 'fakesrc-logs';
const NOW = DAY0 + DAY + 30 * 60_000;
const day = gridWindows(DAY0, DAY0 + DAY, HOUR);

/** Every evidence row of a stream, in chain order. */
async function rows(store: EvidenceStore, stream: string) {
  const found = await store.db
    .selectFrom('evidence_items')
    .selectAll()
    .where('stream', '=', stream)
    .orderBy('seq')
    .execute();
  return found.map((row) => ({ ...row, id: Number(row.id), seq: Number(row.seq) }));
}

async function continuityOf(harness: Harness, stream: string) {
  const report = await buildContinuityReport(
    harness.store,
    harness.app.registry,
    { start: DAY0, end: DAY0 + DAY },
    NOW,
    { streams: [stream] },
  );
  return report.streams[0]!;
}

describe.each(storeKinds)('tampering with the store on %s', (kind) => {
  let harness: Harness;
  let anchors: ChainHead[];
  afterEach(async () => harness.close());

  /** A day of two streams collected through the real runner, and the heads an export would anchor. */
  async function collected(): Promise<void> {
    harness = await openHarness(kind, { start: DAY0 });
    await collectHistory(harness, STREAM, day);
    await collectHistory(harness, OTHER, day);
    anchors = await readChainHeads(harness.store);
    const intact = await verifyStore(harness.store, 50, { since: anchors });
    expect(intact.problems).toEqual([]);
    expect(intact.anchorsChecked).toBe(2);
    const entry = await continuityOf(harness, STREAM);
    expect(entry.coveragePercent).toBe(100);
    expect(entry.gaps).toEqual([]);
  }

  it("names every run whose items went with a stream's rows and its head; continuity shows evidence_missing", async () => {
    await collected();
    const lost = await rows(harness.store, STREAM);
    expect(lost.length).toBeGreaterThan(0);
    await harness.store.db.deleteFrom('evidence_items').where('stream', '=', STREAM).execute();
    await harness.store.db.deleteFrom('chain_heads').where('stream', '=', STREAM).execute();

    const report = await verifyStore(harness.store);
    // The chain that is left is consistent: only the ledger can tell.
    expect(report.problems.every((problem) => problem.runId !== undefined)).toBe(true);
    const byRun = new Map<string, number>();
    for (const row of lost) byRun.set(row.run_id, (byRun.get(row.run_id) ?? 0) + 1);
    expect(report.shortfalls.map((s) => [s.runId, s.stream, s.recorded - s.stored])).toEqual(
      [...byRun].map(([runId, count]) => [runId, STREAM, count]),
    );
    const first = report.problems[0]!;
    expect(first.window).toEqual(day[0]);
    expect(first.problem).toMatch(/^the ledger recorded \d+ new or changed items; 0 are in the store/);
    expect(first.problem).toMatch(/\(\d+ missing: deleted\)$/);

    const anchored = await verifyStore(harness.store, 50, { since: anchors });
    expect(anchored.problems.map((problem) => problem.problem)).toContain(
      `anchored head row ${anchors.find((a) => a.stream === STREAM)!.seq} (hash ${anchors
        .find((a) => a.stream === STREAM)!
        .hash.slice(0, 12)}) is gone: the stream has no chain any more (truncated)`,
    );

    const entry = await continuityOf(harness, STREAM);
    expect(entry.itemCount).toBe(0);
    expect(entry.covered).toEqual([]);
    expect(entry.gaps.map(({ start, end, cause, errorCode }) => ({ start, end, cause, errorCode }))).toEqual([
      { start: DAY0, end: DAY0 + DAY, cause: 'evidence_missing', errorCode: 'EVIDENCE_MISSING' },
    ]);
    expect(entry.gaps[0]!.reason).toMatch(
      /^\d+ item\(s\) the ledger recorded for this window are not in the store/,
    );
    expect(entry.coveragePercent).toBe(0);
    // The other stream is untouched.
    expect((await continuityOf(harness, OTHER)).gaps).toEqual([]);
  });

  it('names the runs of a deleted tail whose head was moved back; --since names the truncation', async () => {
    await collected();
    const all = await rows(harness.store, STREAM);
    // Cut the rows of the last three runs.
    const lastRuns = [...new Set(all.map((row) => row.run_id))].slice(-3);
    const cutFrom = all.find((row) => lastRuns.includes(row.run_id))!.seq;
    const keep = all.filter((row) => row.seq < cutFrom);
    await harness.store.db
      .deleteFrom('evidence_items')
      .where('stream', '=', STREAM)
      .where('seq', '>=', cutFrom)
      .execute();
    await harness.store.db
      .updateTable('chain_heads')
      .set({ seq: keep.at(-1)!.seq, hash: keep.at(-1)!.row_hash })
      .where('stream', '=', STREAM)
      .execute();

    const plain = await verifyStore(harness.store);
    expect(plain.shortfalls.map((shortfall) => shortfall.runId)).toEqual(lastRuns);
    expect(plain.problems).toHaveLength(3);

    const anchor = anchors.find((a) => a.stream === STREAM)!;
    const anchored = await verifyStore(harness.store, 50, { since: anchors });
    expect(anchored.problems.filter((problem) => problem.runId === undefined)).toEqual([
      {
        stream: STREAM,
        id: null,
        itemKey: null,
        version: null,
        seq: anchor.seq,
        problem: `anchored head row ${anchor.seq} (hash ${anchor.hash.slice(0, 12)}) is gone: the chain now ends at row ${keep.at(-1)!.seq} (truncated)`,
      },
    ]);

    const entry = await continuityOf(harness, STREAM);
    const cutWindows = day.slice(-3);
    expect(entry.gaps.map(({ start, end, cause }) => ({ start, end, cause }))).toEqual([
      { start: cutWindows[0]!.start, end: DAY0 + DAY, cause: 'evidence_missing' },
    ]);
    expect(entry.covered).toEqual([{ start: DAY0, end: cutWindows[0]!.start }]);

    // Collected again, the lost items come back as new and the window is covered; the ledger keeps the loss.
    await collectHistory(harness, STREAM, cutWindows);
    expect((await continuityOf(harness, STREAM)).gaps).toEqual([]);
    expect((await verifyStore(harness.store)).shortfalls.map((s) => s.runId)).toEqual(lastRuns);
  });

  it('a tail rewritten with every hash recomputed passes the chain and the ledger, but not --since', async () => {
    await collected();
    const all = await rows(harness.store, STREAM);
    const from = all.length - 2;
    let prevHash = all[from - 1]!.row_hash;
    for (const row of all.slice(from)) {
      const payload = JSON.stringify({ ...JSON.parse(row.payload), rewritten: true });
      const rewritten = { ...row, payload, payload_sha256: sha256(payload), prev_hash: prevHash };
      const rowHash = chainHash(prevHash, rewritten as ChainedRow);
      await harness.store.db
        .updateTable('evidence_items')
        .set({ payload, payload_sha256: rewritten.payload_sha256, prev_hash: prevHash, row_hash: rowHash })
        .where('id', '=', row.id)
        .execute();
      prevHash = rowHash;
    }
    await harness.store.db
      .updateTable('chain_heads')
      .set({ hash: prevHash })
      .where('stream', '=', STREAM)
      .execute();

    // Whoever can write the store can make it consistent with itself: only an anchor outside it tells.
    expect((await verifyStore(harness.store)).problems).toEqual([]);
    const anchor = anchors.find((a) => a.stream === STREAM)!;
    const anchored = await verifyStore(harness.store, 50, { since: anchors });
    expect(anchored.problems).toHaveLength(1);
    expect(anchored.problems[0]).toMatchObject({
      stream: STREAM,
      seq: anchor.seq,
      itemKey: all.at(-1)!.item_key,
      problem: `row ${anchor.seq} has hash ${prevHash.slice(0, 12)}, the anchor recorded ${anchor.hash.slice(0, 12)} (the chain's tail was rewritten)`,
    });
  });
});

import { openStore } from '../../src/store/open-store.js';
import { verifyStore } from '../../src/store/verify-store.js';

/** What a drill compares: every stored row by stream, key and version, with its payload hash. */
export interface StoreSnapshot {
  readonly rows: number;
  /** `stream key vN` -> payload SHA-256. */
  readonly items: Map<string, string>;
  /** Rows that repeat a stream/key/version (must never happen). */
  readonly duplicates: string[];
  /** Items stored in more than one version although the source never changed (must match the reference). */
  readonly versionsAbove1: number;
  readonly chainProblems: string[];
  readonly byStream: Record<string, number>;
  readonly runs: Record<string, number>;
}

export async function snapshotStore(url: string): Promise<StoreSnapshot> {
  const store = await openStore(url);
  try {
    const rows = await store.db
      .selectFrom('evidence_items')
      .select(['stream', 'item_key', 'version', 'payload_sha256'])
      .orderBy('id')
      .execute();
    const items = new Map<string, string>();
    const duplicates: string[] = [];
    const byStream: Record<string, number> = {};
    let versionsAbove1 = 0;
    for (const row of rows) {
      const id = `${row.stream} ${row.item_key} v${row.version}`;
      if (items.has(id)) duplicates.push(id);
      items.set(id, row.payload_sha256);
      byStream[row.stream] = (byStream[row.stream] ?? 0) + 1;
      if (Number(row.version) > 1) versionsAbove1 += 1;
    }
    const statuses = await store.db
      .selectFrom('runs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const runs = Object.fromEntries(statuses.map((entry) => [entry.status, Number(entry.n)]));
    const report = await verifyStore(store);
    const chainProblems = report.problems.map((p) => `${p.stream} seq ${p.seq}: ${p.problem}`);
    return { rows: rows.length, items, duplicates, versionsAbove1, chainProblems, byStream, runs };
  } finally {
    await store.close();
  }
}

/**
 * Differences between a drill's store and the reference store, worded for a FAIL line; empty when equal.
 * `streams` limits the comparison (a drill whose token was revoked compares only the streams that went on).
 */
export function compareStores(
  reference: StoreSnapshot,
  actual: StoreSnapshot,
  streams?: readonly string[],
): string[] {
  const keep = (id: string) => !streams || streams.includes(id.slice(0, id.indexOf(' ')));
  const problems: string[] = [];
  const missing = [...reference.items.keys()].filter((id) => keep(id) && !actual.items.has(id));
  const extra = [...actual.items.keys()].filter((id) => keep(id) && !reference.items.has(id));
  const differ = [...reference.items].filter(
    ([id, sha]) => keep(id) && actual.items.has(id) && actual.items.get(id) !== sha,
  );
  const sample = (list: readonly string[]) => list.slice(0, 3).join(', ') + (list.length > 3 ? ', ...' : '');
  if (missing.length) problems.push(`${missing.length} item(s) missing: ${sample(missing)}`);
  if (extra.length) problems.push(`${extra.length} item(s) not in the reference: ${sample(extra)}`);
  if (differ.length)
    problems.push(`${differ.length} payload hash(es) differ: ${sample(differ.map(([id]) => id))}`);
  const duplicates = actual.duplicates.filter(keep);
  if (duplicates.length) problems.push(`${duplicates.length} duplicate row(s): ${sample(duplicates)}`);
  if (actual.chainProblems.length)
    problems.push(`verify-store: ${actual.chainProblems.length} problem(s): ${sample(actual.chainProblems)}`);
  if (reference.chainProblems.length)
    problems.push(`verify-store on the reference: ${sample(reference.chainProblems)}`);
  const expected = [...reference.items.keys()].filter(keep).length;
  if (expected === 0) problems.push('the reference store is empty: the drill would prove nothing');
  return problems;
}

/** Windows of the reference that the store has not settled, with the ledger's last word on each. */
export async function unsettledWindows(url: string, reference: string): Promise<string[]> {
  return (await unsettled(url, reference)).map((entry) => entry.text);
}

export async function unsettled(
  url: string,
  reference: string,
): Promise<{ stream: string; start: number; end: number; text: string }[]> {
  const [actualStore, referenceStore] = [await openStore(url), await openStore(reference)];
  try {
    const settled = await referenceStore.db
      .selectFrom('runs')
      .select(['stream', 'window_start', 'window_end'])
      .where('status', 'in', ['succeeded', 'unrecoverable'])
      .execute();
    const runs = await actualStore.db
      .selectFrom('runs')
      .select(['stream', 'window_start', 'status', 'attempt', 'error_code'])
      .orderBy('started_at')
      .execute();
    const last = new Map<string, string>();
    const done = new Set<string>();
    for (const run of runs) {
      const id = `${run.stream}@${new Date(Number(run.window_start)).toISOString().slice(0, 13)}`;
      last.set(id, `${run.status}${run.error_code ? ` ${run.error_code}` : ''} (attempt ${run.attempt})`);
      if (run.status === 'succeeded' || run.status === 'unrecoverable') done.add(id);
    }
    return settled
      .map((run) => ({
        stream: run.stream,
        start: Number(run.window_start),
        end: Number(run.window_end),
        id: `${run.stream}@${new Date(Number(run.window_start)).toISOString().slice(0, 13)}`,
      }))
      .filter((entry) => !done.has(entry.id))
      .map(({ id, ...entry }) => ({ ...entry, text: `${id}: ${last.get(id) ?? 'never attempted'}` }));
  } finally {
    await actualStore.close();
    await referenceStore.close();
  }
}

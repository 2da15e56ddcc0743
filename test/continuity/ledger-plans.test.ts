import type { Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityQuery } from '../../src/continuity/activity.js';
import { unsuccessfulPageQuery } from '../../src/continuity/attempt-marks.js';
import { succeededPageQuery } from '../../src/continuity/covered-windows.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { HOUR } from '../../src/time.js';
import { freshStore } from '../support/stores.js';

/**
 * The report stays fast only while SQLite reads the ledger through the partial indexes of migration 0005:
 * a plan that scans the whole stream per page, or sorts it, turns a year of runs into seconds or minutes.
 */
describe('continuity query plans on sqlite', () => {
  let store: EvidenceStore;
  beforeAll(async () => {
    ({ store } = await freshStore('sqlite'));
  });
  afterAll(async () => store.close());

  const plan = (query: Compilable) => {
    const compiled = query.compile();
    const rows = store
      .sqlite!.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`)
      .all(...(compiled.parameters as unknown[])) as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  };
  const period = { start: 0, end: 365 * 24 * HOUR };

  it('pages succeeded windows from the covering partial index, in its order', () => {
    for (const after of [undefined, { start: 1_000, end: 2_000 }]) {
      const text = plan(succeededPageQuery(store, 's', period, after, 5_000));
      // The keyset bound (window_start, window_end) > (?, ?) must seek, not filter.
      expect(text).toMatch(
        after
          ? /SEARCH runs USING COVERING INDEX runs_succeeded_windows \(stream=\? AND \(window_start,window_end\)>\(\?,\?\)/
          : /SEARCH runs USING COVERING INDEX runs_succeeded_windows \(stream=\? AND window_start<\?\)/,
      );
      expect(text).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('pages unsuccessful attempts from their partial index, checking siblings by index', () => {
    for (const after of [undefined, { start: 1_000, id: 'x' }]) {
      const text = plan(unsuccessfulPageQuery(store, 's', period, after, 5_000));
      expect(text).toMatch(/SEARCH r USING INDEX runs_unsuccessful \(stream=\?/);
      expect(text).toMatch(
        /SEARCH s USING COVERING INDEX runs_succeeded_windows \(stream=\? AND window_start=\? AND window_end=\?\)/,
      );
      expect(text).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('counts items from the timeline index alone, never reading payload rows', () => {
    const text = plan(activityQuery(store, 's', period.start, period.end, HOUR));
    expect(
      text.match(
        /USING COVERING INDEX evidence_items_timeline \(stream=\? AND occurred_at>\? AND occurred_at<\?\)/g,
      ),
    ).toHaveLength(2);
  });

  it('checks each succeeded run against its stored rows from two covering indexes, without a sort', () => {
    const text = plan(new RunLedger(store).missingEvidenceQuery('s', period));
    expect(text).toMatch(
      /SEARCH r USING COVERING INDEX runs_succeeded_counts \(stream=\? AND window_start<\?\)/,
    );
    expect(text).toMatch(/SEARCH e USING COVERING INDEX evidence_items_run \(run_id=\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
    expect(text).not.toMatch(/SCAN/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { populationPageQuery } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { freshStore } from '../support/stores.js';

/** An export of a million items stays linear only while each population page is a seek, not a sort. */
describe('population query plan on sqlite', () => {
  let store: EvidenceStore;
  beforeAll(async () => {
    ({ store } = await freshStore('sqlite'));
  });
  afterAll(async () => store.close());

  it('pages the population along the timeline index without sorting', () => {
    const compiled = populationPageQuery(
      store,
      's',
      { start: 0, end: 1e12 },
      { occurredAt: 5, id: 7 },
      2_000,
    ).compile();
    const detail = (
      store
        .sqlite!.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`)
        .all(...(compiled.parameters as unknown[])) as { detail: string }[]
    )
      .map((row) => row.detail)
      .join('\n');
    expect(detail).toMatch(
      /SEARCH e USING INDEX evidence_items_timeline \(stream=\? AND occurred_at>\? AND occurred_at<\?\)/,
    );
    expect(detail).not.toMatch(/TEMP B-TREE/);
    // The newer-version lookup is a seek on the key, never a walk along the timeline.
    expect(detail).toMatch(
      /SEARCH newer USING (COVERING )?INDEX \S+ \(stream=\? AND item_key=\? AND version>\?\)/,
    );
  });

  it("starts each page's index range at the page, not at the period's start", () => {
    // Bounded by the period's start alone, each page walked every earlier page again: quadratic in the
    // population. The range's lower bound is the only `>=` on occurred_at; it must be the page's start.
    const compiled = populationPageQuery(
      store,
      's',
      { start: 0, end: 1e12 },
      { occurredAt: 5_000, id: 7 },
      500,
    ).compile();
    const at = compiled.sql.indexOf('"e"."occurred_at" >= ?');
    expect(at).toBeGreaterThan(0);
    const position = compiled.sql.slice(0, at).split('?').length - 1;
    expect(compiled.parameters[position]).toBe(5_000);
  });
});

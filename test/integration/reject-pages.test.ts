import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { RejectLog } from '../../src/store/reject-log.js';
import { freshStore } from '../support/stores.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 3, 1);
const PERIOD = { start: START, end: START + 24 * HOUR };

describe.each(['sqlite', 'postgres'] as const)('rejects read a page at a time (%s)', (kind) => {
  let store: EvidenceStore;
  afterAll(async () => store?.close());

  it('gives every reject of the period once, in the order of the whole read', async () => {
    ({ store } = await freshStore(kind));
    const log = new RejectLog(store);
    // Two streams, windows out of order, several rejects per window (ties broken by id), one window after
    // the period and one stream not asked for.
    for (const stream of ['b-stream', 'a-stream', 'c-stream'])
      for (const hour of [5, 1, 30, 12, 3])
        for (let n = 0; n < 2; n += 1)
          await log.record({
            stream,
            runId: 'run',
            window: { start: START + hour * HOUR, end: START + (hour + 1) * HOUR },
            kind: 'record',
            reason: 'bad',
            key: `${stream}-${hour}-${n}`,
            raw: { hour, n, stream, extra: 'x'.repeat(100) },
            now: START,
          });
    const streams = ['a-stream', 'b-stream'];
    const whole = (await log.inPeriod(PERIOD, streams)).map((row) => row.id);
    const paged: number[] = [];
    for await (const row of log.eachInPeriod(PERIOD, streams, 3)) {
      expect(row).not.toHaveProperty('raw');
      paged.push(row.id);
    }
    // Two streams, four windows inside the period, two rejects each.
    expect(whole).toHaveLength(16);
    expect(paged).toEqual(whole);
  });
});

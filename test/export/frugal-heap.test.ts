import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const module = fileURLToPath(new URL('../../src/export/frugal-heap.ts', import.meta.url));

// Churns through short-lived objects with a few thousand alive at any time, as a streamed export does,
// then reports the young generation's size. Run in a fresh process: the test runner's heap is grown already.
const child = `
import v8 from 'node:v8';
import { withFrugalHeap } from ${JSON.stringify(module)};
const ring = new Array(4000);
async function churn() {
  for (let i = 0; i < 2000000; i += 1) {
    ring[i % ring.length] = { text: 'row ' + i, cells: [i, i + 1], more: { key: String(i) } };
    if (i % 20000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
}
const during = await withFrugalHeap(churn);
const after = await churn();
process.stdout.write(JSON.stringify({ during, after }));
`;

describe('frugal heap while a package is written', () => {
  it('keeps the young generation from growing, and lets it grow again once the export ends', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const { during, after } = JSON.parse(result.stdout) as { during: number; after: number };
    const mb = 1_048_576;
    expect(during).toBeLessThanOrEqual(8 * mb);
    expect(after).toBeGreaterThan(2 * during);
  });
});

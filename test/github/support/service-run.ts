import { expect } from 'vitest';
import { productionChanges } from '../../../connectors/github/production-changes.js';
import type { GithubSandbox, GroundTruth } from '../../../src/sandbox/github/index.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import type { Window } from '../../../src/time.js';
import { githubClient, githubConfig, githubRunner, streamInstance } from './harness.js';

/** The stream's source lag: in service, a window is read this long after it closed. */
export const LAG = 10 * 60_000;

/**
 * Production changes read window by window as the service reads them: each at its end plus the lag, the
 * sandbox's clock moved with it, once each (nothing read again, nothing skipped). `after` sees each window.
 */
export async function readAsInService(
  sandbox: GithubSandbox,
  store: EvidenceStore,
  windows: readonly Window[],
  after: (window: Window) => void = () => {},
): Promise<string> {
  const config = githubConfig({ org: 'acme', baseUrl: sandbox.url });
  const stream = streamInstance(productionChanges, config);
  const clock = { now: windows[0]?.start ?? 0 };
  const runner = githubRunner(store, githubClient(config), clock);
  for (const window of windows) {
    clock.now = window.end + LAG;
    sandbox.setNow(clock.now);
    const outcome = await runner.collect({ stream, window, trigger: 'schedule', attempt: 1 });
    expect(outcome.status, outcome.error?.message).toBe('succeeded');
    expect(outcome.counts.unchanged).toBe(0);
    expect(outcome.counts.skipped).toBe(0);
    after(window);
  }
  return stream.id;
}

/** Keys of every commit and force push the ground truth dates at or after `from`, sorted. */
export function populationSince(truth: GroundTruth, from: number): string[] {
  return [
    ...truth.commits.filter((c) => c.committedAt >= from).map((c) => c.key),
    ...truth.forcePushes.filter((p) => p.at >= from).map((p) => p.key),
  ].sort();
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Catalogue } from '../../../src/catalogue/catalogue.js';
import { parseConfig } from '../../../src/config/load.js';
import { buildRegistry, type Registry } from '../../../src/registry.js';
import { PLANTED_COLLECTION_GAP, type Company } from '../../../src/sandbox/company/index.js';
import { startSandboxes, type Sandboxes } from '../../../src/sandbox/sandboxes.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import { DAY, type Window } from '../../../src/time.js';
import { registryRunner } from '../../support/stream-harness.js';
import { dropStore, freshStore } from '../../support/stores.js';

/** The people snapshot streams, observed once a day as the service would. */
export const SNAPSHOT_STREAMS = [
  'hr-workforce',
  'okta-users',
  'google-workspace-users',
  'github-org-access',
  'aws-iam-state',
  'aws-identity-center-state',
] as const;
/** The lifecycle event streams, collected day by day after the period. */
export const EVENT_STREAMS = [
  'okta-lifecycle-events',
  'google-workspace-admin-events',
  'aws-cloudtrail-access-changes',
] as const;

export interface CompanyStore {
  readonly sandboxes: Sandboxes;
  readonly company: Company;
  readonly store: EvidenceStore;
  readonly registry: Registry;
  readonly collected: ReadonlySet<string>;
  /** The planted collection outage: these streams were not collected over this window. */
  readonly outage: Window & { readonly streams: readonly string[] };
  close(): Promise<void>;
}

/**
 * The sandbox company collected into a real SQLite store as the service would have collected it: the
 * sandboxes' clock steps through the period a day at a time and every people snapshot is taken at each
 * midnight for the day before; then the lifecycle events are collected per day. The planted outage of the
 * CloudTrail access changes (and of the IAM snapshots, as in the demo) is left out, so a leaver's IAM
 * removal falls in a gap.
 */
export async function collectCompany(options: {
  seed: number;
  now: number;
  days: number;
  /** Streams left uncollected (a deployment without an HR source leaves out hr-workforce). */
  without?: readonly string[];
}): Promise<CompanyStore> {
  const { without = [], ...history } = options;
  const sandboxes = await startSandboxes({ ...history, oktaPerMinute: 1_000_000 });
  const company = sandboxes.okta.company;
  const trailDir = mkdtempSync(path.join(tmpdir(), 'ew-people-trail-'));
  await sandboxes.aws.writeTrailFiles(trailDir);
  const aws = sandboxes.connectors.aws as { accounts: Record<string, unknown>[] };
  const connectors = {
    ...sandboxes.connectors,
    aws: {
      accounts: aws.accounts.map((account) => ({
        ...account,
        cloudtrail: { source: 'dir', path: trailDir },
      })),
      credentialReportPollMs: 0,
    },
    'hr-file': { file: sandboxes.hr.file },
  };
  const registry = await buildRegistry(parseConfig({ connectors }, sandboxes.env), Catalogue.load());
  const { store, url } = await freshStore('sqlite');
  const end = company.period.end;
  const outage = {
    start: end - PLANTED_COLLECTION_GAP.fromDaysBeforeEnd * DAY,
    end: end - PLANTED_COLLECTION_GAP.toDaysBeforeEnd * DAY,
    streams: [PLANTED_COLLECTION_GAP.stream, 'aws-iam-state'],
  };
  const skipped = (stream: string, window: Window) =>
    outage.streams.includes(stream) && window.start < outage.end && window.end > outage.start;
  let now = company.period.start;
  const runner = registryRunner(store, registry, sandboxes.env, () => now);
  const collect = async (stream: string, window: Window) => {
    if (without.includes(stream) || skipped(stream, window)) return;
    const outcome = await runner.collect({
      stream: registry.stream(stream),
      window,
      trigger: 'schedule',
      attempt: 1,
    });
    expect(
      outcome.status,
      `${stream} ${new Date(window.start).toISOString()}: ${outcome.error?.message ?? ''}`,
    ).toBe('succeeded');
  };
  // From the day before the period (a baseline for the first day's diff) to its last day.
  for (let at = company.period.start; at <= end; at += DAY) {
    now = at;
    sandboxes.clock.set(at);
    for (const stream of SNAPSHOT_STREAMS) await collect(stream, { start: at - DAY, end: at });
  }
  // The events after the period's end, at the sandboxes' own now (past every source lag).
  now = options.now;
  sandboxes.clock.set(options.now);
  for (const stream of EVENT_STREAMS)
    for (let at = company.period.start; at < end; at += DAY)
      await collect(stream, { start: at, end: at + DAY });
  return {
    sandboxes,
    company,
    store,
    registry,
    collected: new Set([...SNAPSHOT_STREAMS, ...EVENT_STREAMS].filter((s) => !without.includes(s))),
    outage,
    async close() {
      await sandboxes.stop();
      await store.close();
      await dropStore(url);
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityCenterStateStream } from '../../connectors/aws/streams/identity-center-state.js';
import { identityCenterAt, identityCenterPlanted } from '../../src/sandbox/aws/identity-center-api.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, alignDown } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import { awsRunner, storedPopulation, streamInstance } from './runner-support.js';
import { awsSection } from './support.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
let sandbox: AwsSandbox;
let store: EvidenceStore;
let url: string;

beforeAll(async () => {
  sandbox = await startAwsSandbox({ seed: 7, now: NOW, days: 60 });
  ({ store, url } = await freshStore('sqlite'));
});
afterAll(async () => {
  await sandbox?.stop();
  await store?.close();
  await dropStore(url);
});

describe('aws-identity-center-state against the sandbox', () => {
  it('snapshots across 14 days give exactly the planted joiner and leaver, through NextToken pages', async () => {
    const endpoint = sandbox.url;
    const section = awsSection({
      account: {
        identityCenter: {},
        endpoints: {
          iam: endpoint,
          cloudtrail: endpoint,
          s3: endpoint,
          sts: endpoint,
          identitystore: endpoint,
          ssoAdmin: endpoint,
        },
      },
    });
    const today = alignDown(NOW, DAY);
    const first = today - 14 * DAY;
    let clock = first;
    const { config, runner } = awsRunner(store, section, () => clock);
    const stream = streamInstance(identityCenterStateStream as never, config);
    for (let day = first; day < today; day += DAY) {
      // The service observes each day at its end, as the planner would run it.
      clock = day + DAY - 60_000;
      sandbox.setNow(clock);
      const outcome = await runner.collect({
        stream,
        window: { start: day, end: day + DAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.status).toBe('succeeded');
    }
    const items = await storedPopulation(store, stream.id, first, today);
    const changes = items
      .filter((item) => item.payload.kind === 'change' && /^user_/.test(String(item.payload.change)))
      .map(
        (item) =>
          `${String(item.payload.day)} ${String(item.payload.change)} ${String(item.payload.subject)}`,
      );
    const dayOf = (at: number) => new Date(alignDown(at, DAY)).toISOString().slice(0, 10);
    // The company's people with AWS access: joiners and leavers of the 14 days, each on its day.
    const planted = identityCenterPlanted(sandbox.groundTruth.company);
    const within = (at: number) => at >= first + DAY && at < today;
    const expected = [
      ...planted.joiners.filter((u) => within(u.at)).map((u) => `${dayOf(u.at)} user_added ${u.userName}`),
      ...planted.leavers.filter((u) => within(u.at)).map((u) => `${dayOf(u.at)} user_removed ${u.userName}`),
    ];
    expect(expected.length).toBeGreaterThan(1);
    expect(changes.sort()).toEqual(expected.sort());
    const lastDay = items.filter((item) => item.payload.day === dayOf(today - DAY));
    const users = lastDay.filter((item) => item.payload.kind === 'user');
    expect(users.map((item) => item.payload.userName).sort()).toEqual(
      identityCenterAt(sandbox.groundTruth.company, today - 60_000)
        .users.map((u) => u.userName)
        .sort(),
    );
    expect(users.every((item) => (item.payload.emails as string[]).length === 1)).toBe(true);
    expect(
      lastDay
        .filter((item) => item.payload.kind === 'assignment')
        .map((item) => item.payload.permissionSet)
        .sort(),
    ).toEqual(['AdministratorAccess', 'PowerUserAccess', 'ViewOnlyAccess']);
    expect(sandbox.requests.identitycenter).toBeGreaterThan(14 * 8);
  });
});

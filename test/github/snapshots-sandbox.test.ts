import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchProtection } from '../../connectors/github/branch-protection.js';
import { orgAccess } from '../../connectors/github/org-access.js';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import { githubClient, githubConfig, githubRunner, storedItems, streamInstance } from './support/harness.js';

const NOW = Date.UTC(2026, 5, 15, 8, 0, 0);
const TODAY = Date.UTC(2026, 5, 15);

describe('github snapshot streams against the sandbox', () => {
  let sandbox: GithubSandbox;
  let store: EvidenceStore;
  let url: string;
  const clock = { now: 0 };

  beforeAll(async () => {
    // The weakened protection happens between the two snapshots; members follow the company.
    sandbox = await startGithubSandbox({
      seed: 3,
      now: NOW,
      days: 30,
      repos: 4,
      changesAt: TODAY + DAY + 6 * HOUR,
    });
    ({ store, url } = await freshStore('sqlite'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await store.close();
    await dropStore(url);
  });

  const config = () => githubConfig({ org: 'acme', baseUrl: sandbox.url });
  const dayOne = { start: TODAY - DAY, end: TODAY };
  const dayTwo = { start: TODAY, end: TODAY + DAY };

  /** Collects one snapshot window the morning after it closes, with the sandbox's clock at the same time. */
  async function snapshot(
    definition: typeof branchProtection | typeof orgAccess,
    window: { start: number; end: number },
  ) {
    clock.now = window.end + 8 * HOUR;
    sandbox.setNow(clock.now);
    const stream = streamInstance(definition, config());
    const outcome = await githubRunner(store, githubClient(config()), clock).collect({
      stream,
      window,
      trigger: 'schedule',
      attempt: 1,
    });
    expect(outcome.status, outcome.error?.message).toBe('succeeded');
    return (await storedItems(store, stream.id)).filter((item) => item.occurredAt === window.start);
  }

  it('branch protection: observations flag what is planted, and the weakening is a flagged change', async () => {
    const truth = sandbox.groundTruth.protection;
    const first = await snapshot(branchProtection, dayOne);
    expect(first.every((item) => item.payload.type === 'observation')).toBe(true);
    expect(first.map((item) => item.key)).toContain('2026-06-14/acme/api');
    const flagged = (items: typeof first) =>
      items.flatMap((item) => item.codes.map((code) => `${String(item.payload.repo)} ${code}`)).sort();
    expect(flagged(first)).toEqual(truth.flagsBefore.map((f) => `${f.repo} ${f.code}`).sort());
    const ruleset = first.find((item) => item.payload.repo === 'acme/web')?.payload.state as Record<
      string,
      unknown
    >;
    expect(ruleset).toMatchObject({ protected: true, requiredApprovals: 1, forcePushesAllowed: false });
    expect(ruleset.bypassActors).toEqual(['OrganizationAdmin (always)']);

    const second = await snapshot(branchProtection, dayTwo);
    const changes = second.filter((item) => item.payload.type === 'change');
    expect(
      changes.map((c) => [c.payload.repo, c.payload.field, c.payload.from, c.payload.to, c.codes.length > 0]),
    ).toEqual(truth.protectionChanges.map((c) => [c.repo, c.field, c.from, c.to, c.weakened]));
    expect(changes[0]?.payload.description).toBe('required approvals lowered from 2 to 0 on acme/api');
    expect(changes[0]?.codes).toEqual(['protection_weakened']);
    const observations = second.filter((item) => item.payload.type === 'observation');
    expect(flagged(observations)).toEqual(truth.flagsAfter.map((f) => `${f.repo} ${f.code}`).sort());
  });

  it('org access: members are the company people with role, 2FA and SAML identity, and the planted changes between days', async () => {
    const truth = sandbox.groundTruth.access;
    // Two days observed in the morning, around the company's first leaver removed from GitHub.
    const leaver = truth.accessChanges.find((c) => c.change === 'left')!;
    const beforeEnd = Math.floor((leaver.at - 8 * HOUR) / DAY) * DAY;
    const before = { start: beforeEnd - DAY, end: beforeEnd };
    const after = { start: beforeEnd, end: beforeEnd + DAY };
    const seenAt = (window: { end: number }) => window.end + 8 * HOUR;
    const first = await snapshot(orgAccess, before);
    const logins = first.map((item) => item.payload.login).sort();
    expect(logins).toEqual([...truth.membersAt(seenAt(before)), 'kim-contractor'].sort());
    expect(logins).toContain(leaver.login);
    expect(first.flatMap((i) => i.codes.map((c) => `${String(i.payload.login)} ${c}`))).toEqual(
      truth.flagsAt(seenAt(before)).map((f) => `${f.login} ${f.code}`),
    );
    const kim = first.find((item) => item.payload.login === 'kim-contractor')?.payload;
    expect(kim).toMatchObject({
      kind: 'outside_collaborator',
      repositories: [{ repo: 'acme/web', permission: 'write' }],
    });
    expect(kim?.samlIdentity).toBeUndefined();
    expect(first.find((item) => item.payload.login === 'alice')?.payload.role).toBe('admin');
    // Every member is linked to the work email through the org's SAML SSO.
    const saml = truth.samlIdentitiesAt(seenAt(before));
    for (const item of first.filter((i) => i.payload.kind === 'member'))
      expect(item.payload.samlIdentity, String(item.payload.login)).toBe(saml[String(item.payload.login)]);

    const second = await snapshot(orgAccess, after);
    const changes = second
      .filter((item) => item.payload.type === 'change')
      .map((item) => ({ login: item.payload.login, change: item.payload.change }));
    const planted = truth.accessChanges.filter((c) => c.at > seenAt(before) && c.at <= seenAt(after));
    expect(changes).toEqual(
      planted
        .map((c) => ({ login: c.login, change: c.change }))
        .sort((a, b) => String(a.login).localeCompare(String(b.login))),
    );
    expect(changes).toContainEqual({ login: leaver.login, change: 'left' });
  });

  it('org access: the role change the company plants shows as role_changed from member to admin', async () => {
    const truth = sandbox.groundTruth.access;
    const promoted = truth.accessChanges.find((c) => c.change === 'role_changed' && c.to === 'admin')!;
    const beforeEnd = Math.floor((promoted.at - 8 * HOUR) / DAY) * DAY;
    await snapshot(orgAccess, { start: beforeEnd - DAY, end: beforeEnd });
    const second = await snapshot(orgAccess, { start: beforeEnd, end: beforeEnd + DAY });
    const day = new Date(beforeEnd).toISOString().slice(0, 10);
    expect(second.find((i) => i.key === `${day}/${promoted.login}/role_changed`)?.payload).toMatchObject({
      from: 'member',
      to: 'admin',
    });
  });

  it('org access: a token that cannot see 2FA yields an explicit finding, never an empty list', async () => {
    sandbox.faults.set({ hideTwoFactor: true });
    try {
      const window = { start: TODAY + DAY, end: TODAY + 2 * DAY };
      const items = await snapshot(orgAccess, window);
      const finding = items.find((item) => item.key === '2026-06-16/#2fa-status');
      expect(finding?.codes).toEqual(['2fa_status_not_visible']);
      const observations = items.filter((item) => item.payload.type === 'observation');
      expect(observations.length).toBeGreaterThan(5);
      expect(
        observations.every((item) => item.payload.twoFactor === 'not_visible' && item.codes.length === 0),
      ).toBe(true);
    } finally {
      sandbox.faults.reset();
    }
  });
});

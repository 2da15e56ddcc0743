import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';

const NOW = Date.UTC(2026, 5, 15, 8);
const DAY = 86_400_000;
const CREATED = NOW - 5 * DAY;

describe('the GitHub sandbox plants a new repository when asked', () => {
  let plain: GithubSandbox;
  let planted: GithubSandbox;
  beforeAll(async () => {
    plain = await startGithubSandbox({ seed: 5, now: NOW, days: 20 });
    planted = await startGithubSandbox({ seed: 5, now: NOW, days: 20, newRepositoryAt: CREATED });
  });
  afterAll(async () => {
    await plain?.stop();
    await planted?.stop();
  });

  const status = async (path: string) =>
    (await fetch(`${planted.url}${path}`, { headers: { authorization: 'token sandbox' } })).status;
  const names = async () => {
    const response = await fetch(`${planted.url}/orgs/acme/repos?per_page=100`, {
      headers: { authorization: 'token sandbox' },
    });
    return ((await response.json()) as { full_name: string }[]).map((repo) => repo.full_name);
  };

  it('does not list or serve it before its creation, then does, protected and without commits', async () => {
    planted.setNow(CREATED - 1);
    expect(await names()).not.toContain('acme/payments');
    expect(await status('/repos/acme/payments')).toBe(404);
    expect(await status('/repos/acme/payments/branches/main/protection')).toBe(404);
    planted.setNow(CREATED);
    expect(await names()).toContain('acme/payments');
    expect(await status('/repos/acme/payments')).toBe(200);
    expect(await status('/repos/acme/payments/branches/main/protection')).toBe(200);
    expect(planted.groundTruth.commitsByRepo['acme/payments']).toEqual([]);
  });

  it('leaves every seeded commit, force push and planted exception as it was', () => {
    expect(planted.groundTruth.commits).toEqual(plain.groundTruth.commits);
    expect(planted.groundTruth.exceptions).toEqual(plain.groundTruth.exceptions);
    expect(planted.groundTruth.protection.flagsAfter).toEqual(plain.groundTruth.protection.flagsAfter);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { changeActivity } from '../../checks/people/change-activity.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod } from '../../src/checks/judge-period.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR } from '../../src/time.js';
import { freshStore } from '../support/stores.js';
import { prepareItem } from '../../src/store/evidence-repository.js';
import {
  ACCOUNT,
  GITHUB_GAP,
  leaverFacts,
  PERIOD,
  plantCompany,
  plantedLeaverRows,
  START,
  write,
} from './support/world.js';

let store: EvidenceStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function planted(options: { oktaEvents?: boolean } = {}) {
  ({ store } = await freshStore('sqlite'));
  const collected = await plantCompany(store, options);
  return { store, collected: new Set(collected) };
}

async function findings(s: EvidenceStore, collected: Set<string>, settings: Record<string, unknown> = {}) {
  const checks = buildCheckSet(builtInChecks, { 'leaver-access-removal': settings }, Catalogue.load());
  const judged = await judgePeriod(s, [checks.check('leaver-access-removal')], collected, PERIOD);
  return judged.findings.map((f) => `${f.subject} ${f.stream} ${f.code}`).sort();
}

describe('leaver-access-removal on planted facts in a real SQLite store', () => {
  it('gives each finding code where it was planted, and nothing for removals in time', async () => {
    const { store: s, collected } = await planted();
    expect(await findings(s, collected)).toEqual(
      [
        'alice@acme.test github-org-access removed_late',
        'bob@acme.test aws-iam-state not_removed',
        'bob@acme.test aws-iam-state active_after_termination',
        'carol@acme.test github-org-access removal_not_evidenced',
      ].sort(),
    );
  });

  it('has one row per leaver and system with when access ended, the evidence, its precision and the delay', async () => {
    const { store: s, collected } = await planted();
    const byRow = new Map(
      (await plantedLeaverRows(s, collected)).map((row) => [`${row.person} ${row.system}`, row]),
    );
    expect([...byRow.keys()].sort()).toEqual(
      [
        'alice@acme.test GitHub',
        'alice@acme.test Okta',
        'bob@acme.test AWS IAM',
        'bob@acme.test GitHub',
        'bob@acme.test Okta',
        'carol@acme.test GitHub',
        'carol@acme.test Okta',
      ].sort(),
    );
    const okta = byRow.get('alice@acme.test Okta')!;
    expect(okta).toMatchObject({ precision: 'minute', delayMs: 15 * HOUR, findings: [] });
    expect(okta.evidence).toContain('user.lifecycle.deactivate');
    const github = byRow.get('alice@acme.test GitHub')!;
    expect(github).toMatchObject({ precision: 'day', accessEndedAt: START + 13 * DAY + 6 * HOUR });
    expect(github.delayMs).toBe(4 * DAY + 6 * HOUR);
    const iam = byRow.get('bob@acme.test AWS IAM')!;
    expect(iam).toMatchObject({ account: `${ACCOUNT}/bob`, accessEndedAt: null, precision: null });
    expect(iam.findings.find((f) => f.code === 'active_after_termination')?.description).toContain(
      'CloudTrail CreateAccessKey',
    );
    const gap = byRow.get('carol@acme.test GitHub')!;
    expect(gap.gap).toEqual(GITHUB_GAP);
    expect(gap.findings[0]?.description).toContain('github-org-access was not collected from 2026-06-16');
  });

  it('bounds the same removal by the daily snapshots, to the day, when the lifecycle event stream is absent', async () => {
    const { store: s, collected } = await planted({ oktaEvents: false });
    const okta = (await plantedLeaverRows(s, collected)).find(
      (r) => r.person === 'alice@acme.test' && r.system === 'Okta',
    )!;
    expect(okta).toMatchObject({ precision: 'day', accessEndedAt: START + 10 * DAY + 6 * HOUR });
    expect(okta.evidence).toContain('okta-users snapshots');
    expect(await findings(s, collected)).toContain('alice@acme.test okta-users removed_late');
  });

  it("counts a production change landed by a leaver's GitHub account after the end date as use, not one merged by someone else", async () => {
    const { store: s, collected } = await planted();
    const change = (sha: string, mergedBy: string, author: string, n: number) =>
      prepareItem({
        key: `acme/api@${sha}`,
        occurredAt: START + n * DAY + 10 * HOUR,
        payload: {
          type: 'commit',
          repo: 'acme/api',
          branch: 'main',
          sha,
          message: 'change',
          author: { login: author },
          pullRequests: [
            {
              number: n,
              title: `change ${n}`,
              body: '',
              url: `https://github.com/acme/api/pull/${n}`,
              baseRefName: 'main',
              headRefName: `feature-${n}`,
              headSha: sha,
              author,
              mergedBy,
              mergedAt: new Date(START + n * DAY + 10 * HOUR).toISOString(),
              reviews: [],
            },
          ],
          checks: { runs: [], combinedStatus: null },
        },
      });
    // alice left on day 9 and kept GitHub until day 13: on day 11 she merged a pull request herself; on
    // day 12 dave merged one she had opened before leaving.
    // Day 12 again, stored in the shape written before checks existed: one pull request, merged by her.
    const legacy = prepareItem({
      key: 'acme/api@b12b12b12b12',
      occurredAt: START + 12 * DAY + 11 * HOUR,
      payload: {
        type: 'commit',
        repo: 'acme/api',
        branch: 'main',
        sha: 'b12b12b12b12',
        message: 'legacy change',
        author: { login: 'alice-gh' },
        pullRequest: {
          number: 99,
          title: 'legacy',
          url: 'https://github.com/acme/api/pull/99',
          author: 'alice-gh',
          mergedBy: 'alice-gh',
          mergedAt: new Date(START + 12 * DAY + 11 * HOUR).toISOString(),
          headSha: 'b12b12b12b12',
        },
        approvals: [],
        checks: { runs: [], combinedStatus: null },
      },
    });
    await write(s, 'github-production-changes', PERIOD, [
      change('a11a11a11a11', 'alice-gh', 'alice-gh', 11),
      change('d12d12d12d12', 'dave-gh', 'alice-gh', 12),
      legacy,
    ]);
    collected.add('github-production-changes');
    const github = (await plantedLeaverRows(s, collected)).find(
      (r) => r.person === 'alice@acme.test' && r.system === 'GitHub',
    )!;
    const used = github.findings.filter((f) => f.code === 'active_after_termination');
    // Her first use is the finding; the legacy-shaped change counts as use too (checked on its own below).
    expect(used.map((f) => f.description)).toEqual([
      expect.stringContaining('production change acme/api@a11a11a: pull request #11 merged by alice-gh'),
    ]);
    const uses = (await changeActivity(leaverFacts(s, collected), PERIOD)).map((e) => e.evidence);
    expect(uses).toContain('production change acme/api@b12b12b: pull request #99 merged by alice-gh');
    expect(uses.filter((e) => e.includes('merged by alice-gh'))).toHaveLength(2);
    expect(await findings(s, collected)).toContain(
      'alice@acme.test github-org-access active_after_termination',
    );
  });

  it('moves with the SLA in config, overall and per system, and changes nothing in the evidence store', async () => {
    const { store: s, collected } = await planted();
    const snapshot = async () =>
      JSON.stringify(
        await s.db
          .selectFrom('evidence_items')
          .select(['item_key', 'version', 'payload_sha256'])
          .orderBy('id')
          .execute(),
      ) + JSON.stringify(await s.db.selectFrom('runs').selectAll().orderBy('id').execute());
    const before = await snapshot();
    const strict = await findings(s, collected);
    const lenient = await findings(s, collected, { sla: '5d' });
    const perSystem = await findings(s, collected, { slaBySystem: { GitHub: '5d' } });
    expect(strict).toContain('alice@acme.test github-org-access removed_late');
    expect(lenient).not.toContain('alice@acme.test github-org-access removed_late');
    expect(perSystem).toEqual(lenient);
    expect(await findings(s, collected, { sla: '1h' })).toContain('alice@acme.test okta-users removed_late');
    expect(await snapshot()).toBe(before);
  });

  it('rejects a policy field of the wrong shape naming the field', () => {
    expect(() =>
      buildCheckSet(builtInChecks, { 'leaver-access-removal': { sla: 'soon' } }, Catalogue.load()),
    ).toThrow(/checks\.leaver-access-removal\.sla.*duration/);
  });
});

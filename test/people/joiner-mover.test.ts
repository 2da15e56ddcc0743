import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { LIFECYCLE_FINDING_MEANINGS } from '../../checks/people/explain.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod } from '../../src/checks/judge-period.js';
import {
  CREATED_FOR_NOBODY,
  EARLY_GITHUB_JOINER,
  KEPT_ADMIN_MOVER,
  type Person,
} from '../../src/sandbox/company/index.js';
import { collectCompany, type CompanyStore } from './support/company-store.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);

let world: CompanyStore;
beforeAll(async () => {
  world = await collectCompany({ seed: 7, now: NOW, days: 60 });
}, 240_000);
afterAll(async () => {
  await world?.close();
});

async function findings(policy: Record<string, unknown> = {}) {
  const checks = buildCheckSet(builtInChecks, { 'joiner-mover-access': policy }, Catalogue.load());
  const judged = await judgePeriod(
    world.store,
    [checks.check('joiner-mover-access')],
    world.collected,
    world.company.period,
  );
  return judged.findings;
}
const lines = (found: Awaited<ReturnType<typeof findings>>) =>
  found.map((f) => `${f.code} ${f.subject ?? '-'} ${f.stream} ${f.keys[0]?.split('@')[0]}`).sort();
const person = (first: string): Person =>
  world.company.people.find((p) => p.firstName.toLowerCase() === first)!;

describe('joiner-mover-access on the sandbox company, collected day by day', () => {
  it('finds exactly the planted early GitHub grant and the account created for nobody; no mover finding while the SLA is off', async () => {
    const oscar = person(EARLY_GITHUB_JOINER.first);
    const nobody = `${CREATED_FOR_NOBODY.login}@${world.company.domain}`;
    const found = await findings();
    expect(found.map((f) => `${f.code} ${f.subject ?? '-'} ${f.description.split(' ')[0]}`).sort()).toEqual(
      [
        `access_before_start ${oscar.email} ${oscar.email}'s`,
        'account_for_no_person - Google',
        'account_for_no_person - Okta',
      ].sort(),
    );
    const early = found.find((f) => f.code === 'access_before_start')!;
    expect(early.stream).toBe('github-org-access');
    expect(early.description).toContain(`GitHub account ${oscar.githubLogin}`);
    expect(early.description).toContain('2 day(s) before the HR start date');
    for (const created of found.filter((f) => f.code === 'account_for_no_person'))
      expect(created.description).toContain(`account ${nobody} was created between`);
  });

  it('with a mover SLA finds the planted mover still holding admin in each system, and no other mover', async () => {
    const alice = person(KEPT_ADMIN_MOVER.first);
    const found = (await findings({ moverSla: '2d' })).filter((f) => f.code === 'mover_privilege_kept');
    expect(found.map((f) => `${f.subject} ${f.stream}`).sort()).toEqual(
      [
        'github-org-access',
        'okta-users',
        'google-workspace-users',
        'aws-iam-state',
        'aws-identity-center-state',
      ]
        .map((stream) => `${alice.email} ${stream}`)
        .sort(),
    );
    expect(found[0]!.description).toContain(`department: Engineering → ${KEPT_ADMIN_MOVER.to}`);
    // Past the period's end, the same SLA has not run out: nothing to judge yet.
    expect((await findings({ moverSla: '30d' })).filter((f) => f.code === 'mover_privilege_kept')).toEqual(
      [],
    );
  });

  it('moves with the config, and changes nothing in the evidence store', async () => {
    const snapshot = async () =>
      JSON.stringify(
        await world.store.db
          .selectFrom('evidence_items')
          .select(['item_key', 'version', 'payload_sha256'])
          .orderBy('id')
          .execute(),
      ) + JSON.stringify(await world.store.db.selectFrom('runs').selectAll().orderBy('id').execute());
    const before = await snapshot();
    const base = lines(await findings());
    expect(lines(await findings({ moverSla: null }))).toEqual(base);
    // Provisioning two days ahead is within a 3-day tolerance: the early grant is no longer a finding.
    const tolerant = lines(await findings({ startTolerance: '3d' }));
    expect(tolerant).toEqual(base.filter((line) => !line.startsWith('access_before_start')));
    expect(lines(await findings({ moverSla: '2d' })).length).toBe(base.length + 5);
    expect(await snapshot()).toBe(before);
  });

  it('explains every code it can give', () => {
    const check = builtInChecks.find((c) => c.id === 'joiner-mover-access')!;
    for (const code of Object.keys(check.codes)) expect(LIFECYCLE_FINDING_MEANINGS[code], code).toBeTruthy();
    expect(() =>
      buildCheckSet(builtInChecks, { 'joiner-mover-access': { moverSla: 'soon' } }, Catalogue.load()),
    ).toThrow(/checks\.joiner-mover-access\.moverSla.*duration/);
  });
});

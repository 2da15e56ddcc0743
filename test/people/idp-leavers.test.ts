import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { leaverAccessRemoval } from '../../checks/leaver-access-removal.js';
import { DEFAULT_PEOPLE_SETTINGS } from '../../checks/people/defaults.js';
import { buildPeopleRegister } from '../../checks/people/people-snapshots.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod } from '../../src/checks/judge-period.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import { leaverAccessTruth } from '../../src/sandbox/company/index.js';
import { collectCompany, type CompanyStore } from './support/company-store.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);

let world: CompanyStore;
beforeAll(async () => {
  // A deployment with no HR source: Okta is the system of record for who works here.
  world = await collectCompany({ seed: 7, now: NOW, days: 60, without: ['hr-workforce'] });
}, 240_000);
afterAll(async () => {
  await world?.close();
});

const facts = () =>
  new StoreFacts(world.store, 'register', new Set(leaverAccessRemoval.streams), world.collected, (fact) => {
    throw new Error(`unreadable ${fact.key}: ${fact.problem}`);
  });

describe('joiners and leavers from the identity provider when no HR source is collected', () => {
  it('builds people from the Okta users, each deactivation in the period a leaver and each creation a joiner on its day', async () => {
    expect(world.collected.has('hr-workforce')).toBe(false);
    const register = await buildPeopleRegister(facts(), world.company.period, DEFAULT_PEOPLE_SETTINGS);
    expect(new Set(register.people.map((p) => p.source))).toEqual(new Set(['identity provider']));
    const truth = leaverAccessTruth(world.company);
    const leavers = [...new Map(truth.map((row) => [row.person, row.endDate])).entries()]
      .map(([person, day]) => `${person} ${day}`)
      .sort();
    expect(leavers.length).toBeGreaterThan(3);
    expect(
      register.events
        .filter((e) => e.event === 'leaver')
        .map((e) => `${e.person} ${e.date}`)
        .sort(),
    ).toEqual(leavers);
    for (const event of register.events.filter((e) => e.event === 'leaver'))
      expect(event.source).toMatch(/Okta status DEPROVISIONED since/);
    // Joiners on the day Okta created them: the HR start day; the account created for nobody as well.
    const { start, end } = world.company.period;
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    const joiners = [
      ...world.company.people
        .filter((p) => p.startDate >= start)
        .map((p) => `${p.email} ${day(p.startDate)}`),
      ...world.company.accounts
        .filter((a) => a.createdAt >= start && a.createdAt < end)
        .map((a) => `${a.login} ${day(a.createdAt)}`),
    ];
    expect(joiners.length).toBeGreaterThan(2);
    expect(
      register.events
        .filter((e) => e.event === 'joiner')
        .map((e) => `${e.person} ${e.date}`)
        .sort(),
    ).toEqual(joiners.sort());
    const employed = world.company.people.filter((p) => p.endDate === null).map((p) => p.email);
    for (const email of employed)
      expect(register.people.find((p) => p.email === email)?.endDate, email).toBeNull();
  });

  it('has the leaver check judge them as with HR: exactly the planted findings', async () => {
    const checks = buildCheckSet(builtInChecks, {}, Catalogue.load());
    const judged = await judgePeriod(
      world.store,
      [checks.check('leaver-access-removal')],
      world.collected,
      world.company.period,
    );
    const planted = leaverAccessTruth(world.company, {
      awsAccountId: world.sandboxes.aws.groundTruth.accountId,
    })
      .filter((row) => row.plantedFinding !== null)
      .map((row) => `${row.person} ${row.system} ${row.plantedFinding}`)
      .sort();
    const system: Record<string, string> = {
      'aws-iam-state': 'AWS IAM',
      'github-org-access': 'GitHub',
    };
    expect(planted).toHaveLength(3);
    expect(
      judged.findings.map((f) => `${f.subject} ${system[f.stream] ?? f.stream} ${f.code}`).sort(),
    ).toEqual(planted);
  });
});

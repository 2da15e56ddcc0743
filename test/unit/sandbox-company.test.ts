import { describe, expect, it } from 'vitest';
import { buildCompany } from '../../src/sandbox/company/index.js';
import { PEOPLE } from '../../src/sandbox/github/people.js';
import { DAY } from '../../src/time.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0);

describe('the seeded company', () => {
  it('is the same for the same seed and differs in its times for another', () => {
    const a = buildCompany({ seed: 5, now: NOW });
    expect(buildCompany({ seed: 5, now: NOW })).toMatchObject({ people: a.people, events: a.events });
    expect(buildCompany({ seed: 6, now: NOW }).events).not.toEqual(a.events);
  });

  it('lines up with the GitHub and AWS sandboxes and plants joiners, movers and leavers in the period', () => {
    const company = buildCompany({ seed: 5, now: NOW });
    const logins = company.people.map((p) => p.githubLogin);
    for (const login of PEOPLE) expect(logins).toContain(login);
    // Engineering and operations staff have IAM users named by their first name.
    const iam = company.people.filter((p) => p.iamUser);
    expect(iam.map((p) => p.iamUser)).toEqual(iam.map((p) => p.firstName.toLowerCase()));
    expect(iam.map((p) => p.iamUser)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'dave']));
    for (const person of iam) expect(['Engineering', 'Operations']).toContain(person.department);
    expect(new Set(company.people.map((p) => p.email)).size).toBe(company.people.length);
    expect(company.people[0]?.email).toBe('alice.anders@acme.example');
    const kinds = (kind: string) => company.events.filter((e) => e.kind === kind).length;
    expect([kinds('joiner'), kinds('leaver'), kinds('mover')]).toEqual([4, 5, 6]); // ivan leaves inside the demo's planted AWS outage
    for (const event of company.events) {
      expect(event.at).toBeGreaterThanOrEqual(company.period.start);
      expect(event.at).toBeLessThan(company.period.end);
    }
    // Some in the last 30 days, some older than Okta's 90-day System Log.
    expect(company.events.filter((e) => e.at >= company.period.end - 30 * DAY).length).toBeGreaterThan(3);
    expect(company.events.filter((e) => e.at < company.period.end - 90 * DAY).length).toBeGreaterThan(3);
    expect(company.accounts.map((a) => a.kind)).toEqual(['unlinked', 'service', 'unlinked']);
  });

  it('answers each person state as of a moment', () => {
    const company = buildCompany({ seed: 5, now: NOW });
    const erinAdmin = company.events.find(
      (e) => e.kind === 'mover' && e.field === 'admin' && e.to === 'true',
    )!;
    const erin = (at: number) =>
      company.stateAt(at).find((s) => s.person.employeeId === erinAdmin.employeeId)!;
    expect(erin(erinAdmin.at - 1).admin).toBe(false);
    expect(erin(erinAdmin.at).admin).toBe(true);
    const leaver = company.events.find((e) => e.kind === 'leaver')!;
    const state = (at: number) => company.stateAt(at).find((s) => s.person.employeeId === leaver.employeeId)!;
    expect([state(leaver.at - 1).status, state(leaver.at).status]).toEqual(['employed', 'left']);
    const joiner = company.events.find((e) => e.kind === 'joiner')!;
    const j = (at: number) => company.stateAt(at).find((s) => s.person.employeeId === joiner.employeeId)!;
    expect([j(joiner.at - 1).status, j(joiner.at).status]).toEqual(['not_started', 'employed']);
  });
});

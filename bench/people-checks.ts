/**
 * The people checks over a year of daily snapshots: 2,000 people with an account in each of 5 systems (Okta,
 * Google Workspace, GitHub, AWS IAM, IAM Identity Center) and the HR export, every day. For each check, and
 * for the lifecycle files of the package, the time and the rows read, beside the baseline measured in the
 * same run: one plain read of every people stream, the least any check must read.
 * Usage: npx tsx bench/people-checks.ts [people] [days]   (default 2000 365)
 *
 * The facts are made on the fly and parsed by each check's schema as the store's reader does (JSON round
 * trip, then zod): rows read are what a check costs the store, whatever its engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ZodType } from 'zod';
import { joinerMoverAccessCheck } from '../checks/joiner-mover-access.js';
import { leaverAccessRemovalCheck } from '../checks/leaver-access-removal.js';
import { orphanAccountsCheck } from '../checks/orphan-accounts.js';
import { DEFAULT_PEOPLE_SETTINGS } from '../checks/people/defaults.js';
import { writeLifecycleFiles } from '../checks/people/lifecycle-files.js';
import { personMfaCheck } from '../checks/person-mfa.js';
import type { AnyCheck, Fact, FactsReader } from '../src/checks/check.js';
import { DAY, type Window } from '../src/time.js';

const people = Number(process.argv[2] ?? 2_000);
const days = Number(process.argv[3] ?? 365);
const START = Date.UTC(2025, 0, 1);
const period: Window & { label: string } = { start: START, end: START + days * DAY, label: 'bench' };
const ACCOUNT = '123456789012';

/** Person i: one in ten joins during the period, one in seven leaves; access goes a day after leaving (every 5th: a week). */
function personOf(i: number) {
  const email = `person${i}@example.com`;
  const startDay = i % 10 === 0 ? (i * 7) % days : -400;
  const endDay = i % 7 === 0 ? Math.min(days - 1, startDay + 30 + ((i * 13) % days)) : null;
  const removedDay = endDay === null ? null : endDay + (i % 5 === 0 ? 7 : 1);
  return { i, email, startDay, endDay, removedDay };
}
type Person = ReturnType<typeof personOf>;
const everyone = Array.from({ length: people }, (_, i) => personOf(i));
const dayIso = (day: number) => new Date(START + day * DAY).toISOString().slice(0, 10);

/** What each people stream holds for one person on one day (nothing once the account is gone). */
const PAYLOADS: Record<string, (p: Person, day: number) => unknown> = {
  'hr-workforce': (p, day) =>
    p.endDay !== null && day > p.endDay
      ? undefined
      : {
          kind: 'employee',
          day: dayIso(day),
          employeeId: `E${p.i}`,
          email: p.email,
          name: `Person ${p.i}`,
          startDate: dayIso(p.startDay),
          endDate: p.endDay === null ? null : dayIso(p.endDay),
          department: p.i % 4 === 0 ? 'Engineering' : 'Sales',
          jobTitle: 'Staff',
        },
  'okta-users': (p, day) => ({
    type: 'observation',
    id: `00u${p.i}`,
    login: p.email,
    email: p.email,
    status: p.removedDay !== null && day >= p.removedDay ? 'DEPROVISIONED' : 'ACTIVE',
    adminRoles: p.i % 50 === 0 ? ['SUPER_ADMIN'] : [],
    lastLogin: null,
    factors: [{ status: 'ACTIVE' }],
    statusChanged: p.removedDay !== null && day >= p.removedDay ? `${dayIso(p.removedDay)}T09:00:00Z` : null,
    created: `${dayIso(p.startDay - 1)}T09:00:00Z`,
  }),
  'google-workspace-users': (p, day) => ({
    type: 'observation',
    id: `g${p.i}`,
    primaryEmail: p.email,
    aliases: [],
    suspended: p.removedDay !== null && day >= p.removedDay,
    archived: false,
    isAdmin: p.i % 100 === 0,
    isDelegatedAdmin: false,
    isEnrolledIn2Sv: p.i % 9 !== 0,
    lastLoginTime: null,
  }),
  'github-org-access': (p, day) =>
    p.removedDay !== null && day >= p.removedDay
      ? undefined
      : {
          type: 'observation',
          login: `gh-${p.i}`,
          kind: 'member',
          role: p.i % 40 === 0 ? 'admin' : 'member',
          twoFactor: 'enabled',
          samlIdentity: p.email,
        },
  'aws-iam-state': (p, day) =>
    p.removedDay !== null && day >= p.removedDay
      ? undefined
      : {
          kind: 'user',
          account: ACCOUNT,
          day: dayIso(day),
          name: `user${p.i}`,
          tags: { email: p.email },
          attachedPolicies: p.i % 30 === 0 ? ['arn:aws:iam::aws:policy/AdministratorAccess'] : [],
          effectivePolicies: [],
        },
  'aws-identity-center-state': (p, day) =>
    p.removedDay !== null && day >= p.removedDay
      ? undefined
      : {
          kind: 'user',
          account: ACCOUNT,
          day: dayIso(day),
          userName: p.email,
          userId: `id-${p.i}`,
          displayName: `Person ${p.i}`,
          emails: [p.email],
          groups: p.i % 25 === 0 ? ['Admins'] : [],
          assignments: [`${ACCOUNT}/ReadOnly`],
        },
};
const STREAMS = Object.keys(PAYLOADS);

/** The store's reader semantics over facts made on the fly; counts every row it hands out. */
class BenchFacts implements FactsReader {
  rows = 0;

  collected(stream: string): boolean {
    return stream in PAYLOADS;
  }

  async *items<T>(stream: string, range: Window, schema: ZodType<T>): AsyncIterable<Fact<T>> {
    const make = PAYLOADS[stream];
    if (!make) return;
    const first = Math.max(0, Math.ceil((range.start - START) / DAY));
    const last = Math.min(days, Math.ceil((range.end - START) / DAY));
    for (let day = first; day < last; day += 1) {
      const occurredAt = START + day * DAY;
      for (const person of everyone) {
        if (day < person.startDay - 1) continue;
        const payload = make(person, day);
        if (payload === undefined) continue;
        this.rows += 1;
        yield {
          stream,
          key: `${dayIso(day)}/${person.i}`,
          version: 1,
          occurredAt,
          collectedAt: occurredAt + DAY + 3_600_000,
          payload: schema.parse(JSON.parse(JSON.stringify(payload))),
          payloadSha256: '',
          quiet: false,
        };
      }
    }
  }

  async covered(_stream: string, range: Window): Promise<readonly Window[]> {
    return [range];
  }
}

async function measure(run: (facts: BenchFacts) => Promise<number>) {
  global.gc?.();
  const facts = new BenchFacts();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const output = await run(facts);
  const used = process.cpuUsage(cpu);
  return {
    ms: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    rowsRead: facts.rows,
    output,
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

const settings = () => DEFAULT_PEOPLE_SETTINGS;
const checks: AnyCheck[] = [
  orphanAccountsCheck(settings),
  joinerMoverAccessCheck(settings),
  leaverAccessRemovalCheck(settings),
  personMfaCheck(settings),
];

// The baseline: every row of every people stream, read once with a schema that keeps it as it is.
const passthrough = { parse: (value: unknown) => value } as unknown as ZodType<unknown>;
const baseline = await measure(async (facts) => {
  let rows = 0;
  for (const stream of STREAMS) for await (const _ of facts.items(stream, period, passthrough)) rows += 1;
  return rows;
});
const figure = (what: string, measured: Awaited<ReturnType<typeof measure>>, outputName: string) => ({
  bench: 'people-checks',
  what,
  people,
  days,
  systems: STREAMS.length - 1,
  ms: measured.ms,
  cpuMs: measured.cpuMs,
  rowsRead: measured.rowsRead,
  [outputName]: measured.output,
  readsOfThePopulation: Math.round((measured.rowsRead / baseline.rowsRead) * 100) / 100,
  rssMb: measured.rssMb,
  baseline: { what: 'one plain read of every people stream', ms: baseline.ms, rows: baseline.rowsRead },
});
console.error(`baseline: ${baseline.rowsRead} rows in ${baseline.ms} ms`);

for (const check of checks) {
  const measured = await measure(async (facts) => {
    let findings = 0;
    for await (const _ of check.judge({ facts, period, policy: check.policy.parse({}) })) findings += 1;
    return findings;
  });
  console.log(JSON.stringify(figure(check.id, measured, 'findings')));
}

const out = mkdtempSync(path.join(os.tmpdir(), 'ew-people-bench-'));
try {
  const measured = await measure(async (facts) => {
    const files = await writeLifecycleFiles(
      facts,
      period,
      DEFAULT_PEOPLE_SETTINGS,
      { sla: DAY, slaBySystem: {} },
      out,
    );
    return files.length;
  });
  console.log(JSON.stringify(figure('lifecycle files (leavers, orphans, MFA)', measured, 'files')));
} finally {
  rmSync(out, { recursive: true, force: true });
}

import { DAY, HOUR, alignDown } from '../../time.js';
import { seededRandom } from '../seeded-random.js';
import { GITHUB_NAMES, MORE_NAMES, capital, titleOf, type Person } from './roster.js';

/** A joiner, leaver or mover as the HR system would record it, on the day and hour it took effect. */
export type JmlEvent =
  | { readonly kind: 'joiner'; readonly employeeId: string; readonly at: number }
  | { readonly kind: 'leaver'; readonly employeeId: string; readonly at: number }
  | {
      readonly kind: 'mover';
      readonly employeeId: string;
      readonly at: number;
      readonly field: 'department' | 'manager' | 'admin';
      readonly from: string | null;
      readonly to: string | null;
    };

/** An account in the identity systems that belongs to no person (planted for identity resolution). */
export interface NonPersonAccount {
  readonly login: string;
  readonly name: string;
  readonly kind: 'unlinked' | 'service';
  /** Who answers for a service account, and why it exists; absent for an unlinked account. */
  readonly ownerEmployeeId?: string;
  readonly reason?: string;
  readonly createdAt: number;
}

/** A person's place in the company at one moment. */
export interface PersonState {
  readonly person: Person;
  readonly status: 'not_started' | 'employed' | 'left';
  readonly department: string;
  readonly managerId: string | null;
  readonly admin: boolean;
}

export interface Company {
  readonly domain: string;
  /** [start, end) of the simulated period, epoch ms. */
  readonly period: { readonly start: number; readonly end: number };
  readonly people: readonly Person[];
  /** Every planted joiner, leaver and mover in the period, oldest first. */
  readonly events: readonly JmlEvent[];
  readonly accounts: readonly NonPersonAccount[];
  /** Planted MFA factor resets (an Okta/Google fact, not a JML event). */
  readonly mfaResets: readonly { readonly employeeId: string; readonly at: number }[];
  /** People without a second factor (GitHub's grace has no 2FA either). */
  readonly withoutMfa: ReadonlySet<string>;
  stateAt(at: number): PersonState[];
  byId(employeeId: string): Person;
}

export interface CompanyOptions {
  readonly seed?: number;
  readonly now?: number;
  readonly days?: number;
  readonly domain?: string;
}

interface Draft {
  first: string;
  department: string;
  manager: string | null;
  admin?: boolean;
  /** Fraction of the period at which the person joins; absent: employed before the period. */
  joinsAt?: number;
}

// The staff at the start of the period (keyed by first name), then the planted joiners.
const STAFF: Draft[] = [
  { first: 'alice', department: 'Engineering', manager: null, admin: true },
  { first: 'bob', department: 'Operations', manager: 'alice', admin: true },
  { first: 'carol', department: 'Engineering', manager: 'alice' },
  { first: 'dave', department: 'Engineering', manager: 'alice' },
  { first: 'erin', department: 'Engineering', manager: 'alice' },
  { first: 'frank', department: 'Operations', manager: 'bob' },
  { first: 'grace', department: 'Engineering', manager: 'alice' },
  { first: 'heidi', department: 'Sales', manager: 'laura' },
  { first: 'ivan', department: 'Operations', manager: 'bob' },
  { first: 'ken', department: 'Finance', manager: 'alice' },
  { first: 'laura', department: 'Sales', manager: 'alice' },
  { first: 'mallory', department: 'Finance', manager: 'ken' },
  { first: 'judy', department: 'Engineering', manager: 'alice', joinsAt: 0.15 },
  { first: 'nina', department: 'Sales', manager: 'laura', joinsAt: 0.45 },
  { first: 'oscar', department: 'Finance', manager: 'ken', joinsAt: 0.8 },
  { first: 'peggy', department: 'Engineering', manager: 'alice', joinsAt: 0.95 },
];

/** Leavers and movers as fractions of the period: some old (past Okta's 90 days), some in the last month. */
const LEAVERS: [string, number][] = [
  ['dave', 0.4],
  ['mallory', 0.7],
  ['frank', 0.92],
  ['laura', 0.98],
];
/**
 * Ivan leaves 39 days before the end, inside the demo's planted collection outage of the CloudTrail
 * access changes (40 to 38 days back): his IAM removal happens where that stream has a gap.
 */
export const GAP_LEAVER = { first: 'ivan', daysBeforeEnd: 39 } as const;
const MOVES: [string, number, 'department' | 'manager' | 'admin', string | null][] = [
  ['carol', 0.3, 'department', 'Operations'],
  ['bob', 0.6, 'admin', 'false'],
  ['heidi', 0.85, 'manager', 'bob'],
  ['erin', 0.94, 'admin', 'true'],
  ['ken', 0.96, 'department', 'Sales'],
];
/**
 * Alice moves from Engineering to Operations late in the period and keeps every admin role she held
 * (Okta and Google super admin, GitHub owner, the IAM and Identity Center admin groups): the planted
 * mover whose privilege outlives the move.
 */
export const KEPT_ADMIN_MOVER = { first: 'alice', fraction: 0.9, to: 'Operations' } as const;
/** An Okta and Google Workspace account created late in the period for nobody (no HR record). */
export const CREATED_FOR_NOBODY = { login: 'events.temp', name: 'Events Temp', fraction: 0.85 } as const;

/** People with an IAM user (and an Identity Center user): engineering and operations staff. */
const IAM_USERS = new Set([
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'ivan',
  'judy',
  'peggy',
]);

/**
 * Builds the one company every sandbox serves (Okta, Google Workspace, the HR export; GitHub logins and IAM
 * user names line up with the GitHub and AWS sandboxes). The same seed, now and days give the same company.
 */
export function buildCompany(options: CompanyOptions = {}): Company {
  const random = seededRandom((options.seed ?? 42) ^ 0xc0ffee);
  const end = alignDown(options.now ?? Date.now(), DAY);
  const start = end - (options.days ?? 365) * DAY;
  const domain = options.domain ?? 'acme.example';
  const lastNames = new Map([...GITHUB_NAMES, ...MORE_NAMES]);
  // A planted moment: the UTC day at that fraction of the period, during working hours, in whole seconds
  // (CloudTrail records seconds: a removal at the planted moment must show exactly).
  const workingHour = () => 9 * HOUR + Math.floor(random() * 6 * 3_600) * 1_000;
  const at = (fraction: number) =>
    alignDown(start + Math.floor(fraction * (end - start)), DAY) + workingHour();
  const ids = new Map(STAFF.map((draft, index) => [draft.first, `E${1001 + index}`]));
  const endOf = new Map(LEAVERS.map(([first, fraction]) => [first, at(fraction)]));
  // In a period too short to hold the outage, the gap leaver leaves near the end like the others.
  const gapDay = end - GAP_LEAVER.daysBeforeEnd * DAY;
  endOf.set(GAP_LEAVER.first, gapDay > start ? gapDay + workingHour() : at(0.89));

  const people: Person[] = STAFF.map((draft) => {
    const last = lastNames.get(draft.first) ?? capital(draft.first);
    const email = `${draft.first}.${last.toLowerCase()}@${domain}`;
    const startDate =
      draft.joinsAt === undefined
        ? alignDown(start - (60 + Math.floor(random() * 900)) * DAY, DAY)
        : alignDown(at(draft.joinsAt), DAY);
    const leaves = endOf.get(draft.first);
    return {
      employeeId: ids.get(draft.first)!,
      firstName: capital(draft.first),
      lastName: last,
      name: `${capital(draft.first)} ${last}`,
      email,
      title: titleOf(draft.department),
      department: draft.department,
      managerId: draft.manager === null ? null : ids.get(draft.manager)!,
      startDate,
      endDate: leaves === undefined ? null : alignDown(leaves, DAY),
      oktaLogin: email,
      googleEmail: email,
      githubLogin: GITHUB_NAMES.some(([first]) => first === draft.first)
        ? draft.first
        : `${draft.first}-${last.toLowerCase()}`,
      iamUser: IAM_USERS.has(draft.first) ? draft.first : null,
      admin: draft.admin ?? false,
    };
  });
  const byFirst = new Map(people.map((person) => [person.firstName.toLowerCase(), person]));
  const byId = new Map(people.map((person) => [person.employeeId, person]));

  const events: JmlEvent[] = [];
  for (const draft of STAFF)
    if (draft.joinsAt !== undefined)
      events.push({ kind: 'joiner', employeeId: ids.get(draft.first)!, at: joinTime(draft.first) });
  for (const [first, leaves] of endOf)
    events.push({ kind: 'leaver', employeeId: ids.get(first)!, at: leaves });
  const current = new Map(people.map((p) => [p.employeeId, { ...p }]));
  // Planted after the seeded draws, at fixed hours, so that adding them moves no other planted moment.
  const fixedAt = (fraction: number, hour: number) =>
    alignDown(start + Math.floor(fraction * (end - start)), DAY) + hour * HOUR;
  const moves = [
    ...MOVES.map(([first, fraction, field, to]) => ({ first, when: at(fraction), field, to })),
    {
      first: KEPT_ADMIN_MOVER.first,
      when: fixedAt(KEPT_ADMIN_MOVER.fraction, 10),
      field: 'department' as const,
      to: KEPT_ADMIN_MOVER.to,
    },
  ];
  for (const move of [...moves].sort((a, b) => a.when - b.when)) {
    const person = current.get(ids.get(move.first)!)!;
    const to = move.field === 'manager' ? ids.get(move.to!)! : move.to;
    const from =
      move.field === 'department'
        ? person.department
        : move.field === 'manager'
          ? person.managerId
          : String(person.admin);
    if (move.field === 'department') person.department = to!;
    if (move.field === 'manager') person.managerId = to;
    if (move.field === 'admin') person.admin = to === 'true';
    events.push({ kind: 'mover', employeeId: person.employeeId, at: move.when, field: move.field, from, to });
  }
  events.sort((a, b) => a.at - b.at || a.employeeId.localeCompare(b.employeeId));

  function joinTime(first: string): number {
    // Accounts are created on the start day, mid-morning.
    return byFirst.get(first)!.startDate + 9 * HOUR + 30 * 60_000;
  }

  const accounts: NonPersonAccount[] = [
    {
      login: `old.contractor@${domain}`,
      name: 'Old Contractor',
      kind: 'unlinked',
      createdAt: alignDown(start - 400 * DAY, DAY) + 10 * HOUR,
    },
    {
      login: `svc-integration@${domain}`,
      name: 'Integration Service',
      kind: 'service',
      // Owned by a leaver: the service account outlives the person who answers for it.
      ownerEmployeeId: ids.get('frank')!,
      reason: 'provisioning integration between the HR system and the identity provider',
      createdAt: alignDown(start - 300 * DAY, DAY) + 11 * HOUR,
    },
    {
      login: `${CREATED_FOR_NOBODY.login}@${domain}`,
      name: CREATED_FOR_NOBODY.name,
      kind: 'unlinked',
      createdAt: fixedAt(CREATED_FOR_NOBODY.fraction, 11),
    },
  ];
  const mfaResets = [{ employeeId: ids.get('ivan')!, at: at(0.88) }];

  return {
    domain,
    period: { start, end },
    people,
    events,
    accounts,
    mfaResets,
    withoutMfa: new Set([ids.get('grace')!]),
    byId(employeeId) {
      const person = byId.get(employeeId);
      if (!person) throw new Error(`no person ${employeeId}`);
      return person;
    },
    stateAt(moment) {
      return people.map((person) => {
        let { department, managerId, admin } = person;
        for (const event of events)
          if (event.kind === 'mover' && event.employeeId === person.employeeId && event.at <= moment) {
            if (event.field === 'department') department = event.to!;
            if (event.field === 'manager') managerId = event.to;
            if (event.field === 'admin') admin = event.to === 'true';
          }
        const joined = events.find((e) => e.kind === 'joiner' && e.employeeId === person.employeeId);
        const left = events.find((e) => e.kind === 'leaver' && e.employeeId === person.employeeId);
        const status =
          joined && joined.at > moment ? 'not_started' : left && left.at <= moment ? 'left' : 'employed';
        return { person, status, department, managerId, admin };
      });
    },
  };
}

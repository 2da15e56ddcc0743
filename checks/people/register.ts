import { z } from 'zod';
import type { FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import type { AccountAdapter, AccountRecord } from './account.js';
import { awsIamStateAdapter } from './adapters/aws-iam-state.js';
import { awsIdentityCenterAdapter } from './adapters/aws-identity-center-state.js';
import { githubOrgAccessAdapter } from './adapters/github-org-access.js';
import { googleWorkspaceUsersAdapter } from './adapters/google-workspace-users.js';
import { oktaUsersAdapter } from './adapters/okta-users.js';
import type { PeopleSettings } from './settings.js';

export const HR_STREAM = 'hr-workforce';

export interface RegisteredPerson {
  readonly email: string;
  readonly employeeId: string | null;
  readonly name: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly department: string | null;
  readonly jobTitle: string | null;
  /** Where the person comes from: the HR system, or the IdP where no HR source is collected. */
  readonly source: string;
}

export type LinkedBy = 'work email' | 'login' | 'external identity' | 'mapping file' | 'service account';

export interface RegisteredAccount extends AccountRecord {
  /** The person's email, the owner's for a service account, null when unlinked. */
  readonly person: string | null;
  readonly linkedBy: LinkedBy | null;
  readonly serviceReason: string | null;
  readonly lastSeen: string;
}

export interface JmlEvent {
  readonly event: 'joiner' | 'leaver' | 'mover';
  readonly person: string;
  readonly employeeId: string | null;
  readonly name: string;
  readonly date: string;
  readonly source: string;
  /** What a mover changed (department, manager, job title); null for joiners and leavers. */
  readonly field: string | null;
  readonly detail: string;
}

export interface PeopleRegister {
  readonly people: readonly RegisteredPerson[];
  readonly accounts: readonly RegisteredAccount[];
  readonly events: readonly JmlEvent[];
}

export function adaptersFor(settings: PeopleSettings): readonly AccountAdapter[] {
  return [
    oktaUsersAdapter,
    googleWorkspaceUsersAdapter,
    githubOrgAccessAdapter,
    awsIamStateAdapter(settings.iamEmailTag),
    awsIdentityCenterAdapter,
  ] as AccountAdapter[];
}

/** Every stream the register reads: declare these where it is built through a FactsReader. */
export function registerStreams(settings: PeopleSettings): string[] {
  return [HR_STREAM, ...adaptersFor(settings).map((adapter) => adapter.stream)];
}

const hrItem = z.looseObject({
  kind: z.string(),
  day: z.string(),
  employeeId: z.string(),
  email: z.string(),
  name: z.string(),
  startDate: z.string().optional(),
  endDate: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  change: z.string().optional(),
  effectiveDate: z.string().optional(),
  dateSource: z.string().optional(),
  field: z.string().nullable().optional(),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
});
// An export read and found empty holds no person: read as nothing, not as an unreadable fact.
const hrFact = z.union([z.looseObject({ kind: z.literal('empty') }), hrItem]);
const isRecord = (p: z.infer<typeof hrFact>): p is z.infer<typeof hrItem> => p.kind !== 'empty';

const lower = (text: string) => text.trim().toLowerCase();
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** People and their joiner, mover and leaver events from the HR export's facts of the period. */
export async function hrPeople(facts: FactsReader, period: Window) {
  const people = new Map<string, RegisteredPerson>();
  const events: JmlEvent[] = [];
  const first = dayOf(period.start);
  const last = dayOf(period.end - 1);
  for await (const fact of facts.items(HR_STREAM, period, hrFact)) {
    const p = fact.payload;
    if (!isRecord(p)) continue;
    if (p.kind === 'employee') {
      people.set(p.employeeId, {
        email: lower(p.email),
        employeeId: p.employeeId,
        name: p.name,
        startDate: p.startDate ?? null,
        endDate: p.endDate ?? null,
        department: p.department ?? null,
        jobTitle: p.jobTitle ?? null,
        source: 'HR system',
      });
    } else if (
      p.kind === 'change' &&
      (p.change === 'move' || (p.change === 'termination' && p.dateSource === 'observed'))
    ) {
      events.push({
        event: p.change === 'move' ? 'mover' : 'leaver',
        person: lower(p.email),
        employeeId: p.employeeId,
        name: p.name,
        date: p.effectiveDate ?? p.day,
        source: `HR export diff (${p.day})`,
        field: p.change === 'move' ? (p.field ?? null) : null,
        detail:
          p.change === 'move'
            ? `${p.field ?? ''}: ${p.from ?? '(none)'} → ${p.to ?? '(none)'}`
            : 'left the export with no end date',
      });
    }
  }
  // Joiners and leavers by the dates the HR system states (a late-recorded leaver keeps its real date).
  const inPeriod = (date: string | null) => date !== null && date >= first && date <= last;
  const kept = [...people.values()].filter(
    (person) => (person.startDate ?? '') <= last && (person.endDate === null || person.endDate >= first),
  );
  for (const person of kept) {
    const who = { person: person.email, employeeId: person.employeeId, name: person.name };
    if (inPeriod(person.startDate))
      events.push({
        event: 'joiner',
        ...who,
        date: person.startDate!,
        source: 'HR start date',
        field: null,
        detail: '',
      });
    if (inPeriod(person.endDate))
      events.push({
        event: 'leaver',
        ...who,
        date: person.endDate!,
        source: 'HR end date',
        field: null,
        detail: '',
      });
  }
  return { people: kept, events };
}

/** The latest record of each account of the period, with when it was observed, by system and account id. */
export type LatestAccounts = Map<string, { record: AccountRecord; at: number }>;

/** Keeps the latest record of every account a fact lists (facts come in occurredAt order). */
export function noteLatest(latest: LatestAccounts, records: readonly AccountRecord[], at: number): void {
  for (const record of records) latest.set(`${record.system}\u0000${record.accountId}`, { record, at });
}

/**
 * The people register of a period: one person per HR record (or per IdP user where no HR source is
 * collected), every account of every collected system linked to a person or listed as unlinked, and
 * every joiner, mover and leaver with its source. Built from what the one pass over the stored facts
 * gathered (see people-snapshots.ts).
 */
export function linkRegister(
  gathered: LatestAccounts,
  found: { people: RegisteredPerson[]; events: JmlEvent[] },
  settings: PeopleSettings,
): PeopleRegister {
  const { people, events } = found;
  const byEmail = new Map(people.map((person) => [person.email, person]));
  const mapping = new Map(
    settings.mappings.map((row) => [`${lower(row.system)}\u0000${row.account}`, lower(row.person)]),
  );
  const service = new Map(
    settings.serviceAccounts.map((row) => [`${lower(row.system)}\u0000${row.account}`, row]),
  );

  const accounts: RegisteredAccount[] = [...gathered.values()].map(({ record, at }) => {
    const key = `${lower(record.system)}\u0000${record.accountId}`;
    const base = { ...record, lastSeen: dayOf(at), serviceReason: null };
    const declared = service.get(key);
    if (declared)
      return {
        ...base,
        person: lower(declared.owner),
        linkedBy: 'service account',
        serviceReason: declared.reason,
      };
    const mapped = mapping.get(key);
    if (mapped) return { ...base, person: mapped, linkedBy: 'mapping file' };
    const match = (values: readonly string[]) => values.map(lower).find((value) => byEmail.has(value));
    const email = match(record.emails);
    if (email) return { ...base, person: email, linkedBy: 'work email' };
    const login = match(record.logins);
    if (login) return { ...base, person: login, linkedBy: 'login' };
    const external = match(record.externalIds);
    if (external) return { ...base, person: external, linkedBy: 'external identity' };
    return { ...base, person: null, linkedBy: null };
  });
  accounts.sort((a, b) => a.system.localeCompare(b.system) || a.accountId.localeCompare(b.accountId));
  people.sort((a, b) => a.email.localeCompare(b.email));
  events.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || a.person.localeCompare(b.person) || a.event.localeCompare(b.event),
  );
  return { people, accounts, events };
}

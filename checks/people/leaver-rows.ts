import type { FactsReader } from '../../src/checks/check.js';
import { uncovered } from '../../src/continuity/intervals.js';
import { DAY, iso, type Window } from '../../src/time.js';
import { snapshotBounds, type SystemTimeline } from './account-timeline.js';
import { readPeopleSnapshots, type PeopleSnapshots } from './people-snapshots.js';
import type { PeopleRegister, RegisteredAccount } from './register.js';
import { lifecycleEvents, type AccountEvent } from './removal-events.js';
import type { PeopleSettings } from './settings.js';

export type Precision = 'minute' | 'day';
export type LeaverFindingCode =
  'removed_late' | 'not_removed' | 'removal_not_evidenced' | 'active_after_termination';

export interface LeaverFinding {
  readonly code: LeaverFindingCode;
  readonly description: string;
}

/** One leaver in one system where the leaver had an account: the population row of CC6.2 leavers. */
export interface LeaverRow {
  readonly person: string;
  readonly name: string;
  /** The HR end date (or the day the identity provider deactivated the person). */
  readonly endDate: string;
  /** End of employment: 00:00 UTC of the end date. */
  readonly leftAt: number;
  readonly system: string;
  readonly account: string;
  /** The stream and stored item the row judged (the account's last observation). */
  readonly stream: string;
  readonly itemKey: string;
  /** When access ended by the best evidence; null while it has not (or could not be seen to). */
  readonly accessEndedAt: number | null;
  readonly evidence: string;
  readonly precision: Precision | null;
  readonly delayMs: number | null;
  /** The uncovered collection window the removal falls in, where it does. */
  readonly gap: Window | null;
  readonly findings: readonly LeaverFinding[];
}

export interface LeaverPolicy {
  readonly sla: number;
  readonly slaBySystem: Readonly<Record<string, number>>;
}

const startOfDay = (day: string) => Date.parse(`${day}T00:00:00Z`);
const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`;

/** The end of employment of each leaver of the period: the HR end date, else the IdP deactivation. */
function leaversOf(register: PeopleRegister) {
  const names = new Map(register.people.map((person) => [person.email, person.name]));
  const seen = new Set<string>();
  return register.events
    .filter((event) => event.event === 'leaver' && !seen.has(event.person) && seen.add(event.person))
    .map((event) => ({
      person: event.person,
      name: names.get(event.person) ?? event.name,
      endDate: event.date,
    }));
}

async function judgeAccount(
  facts: FactsReader,
  period: Window,
  leaver: { person: string; name: string; endDate: string },
  account: RegisteredAccount,
  timeline: SystemTimeline,
  events: {
    removals: readonly AccountEvent[];
    activity: readonly AccountEvent[];
    evented: ReadonlySet<string>;
  },
  policy: LeaverPolicy,
): Promise<LeaverRow | undefined> {
  const leftAt = startOfDay(leaver.endDate);
  const bounds = snapshotBounds(timeline.observations, account.accountId);
  if (bounds.lastWithAccess === null) return undefined; // no access in the period at all
  const mine = (e: AccountEvent) => e.system === account.system && e.accountId === account.accountId;
  const removal = events.removals.find((e) => mine(e) && e.at >= bounds.lastWithAccess! - DAY);
  const sla = policy.slaBySystem[account.system] ?? policy.sla;
  const findings: LeaverFinding[] = [];
  const who = `${leaver.person}'s ${account.system} account ${account.accountId}`;
  let accessEndedAt: number | null = null;
  let evidence: string;
  let precision: Precision | null = null;
  let gap: Window | null = null;
  if (removal) {
    accessEndedAt = removal.at;
    evidence = removal.evidence;
    precision = 'minute';
  } else {
    const until = bounds.firstWithout ?? period.end;
    const holes = uncovered(
      { start: bounds.lastWithAccess, end: until },
      await facts.covered(timeline.stream, { start: bounds.lastWithAccess, end: until }),
    );
    gap = holes.find((hole) => hole.end - hole.start >= DAY / 2) ?? null;
    if (gap) {
      evidence = `${timeline.stream} not collected from ${iso(gap.start)} to ${iso(gap.end)}`;
      findings.push({
        code: 'removal_not_evidenced',
        description: `${who}: last seen with access ${iso(bounds.lastWithAccess)}; ${timeline.stream} was not collected from ${iso(gap.start)} to ${iso(gap.end)}, so when access ended is not evidenced`,
      });
    } else if (bounds.firstWithout !== null) {
      accessEndedAt = bounds.firstWithout;
      precision = 'day';
      evidence = `${timeline.stream} snapshots: with access ${iso(bounds.lastWithAccess)}, without ${iso(bounds.firstWithout)} (to the day)`;
    } else {
      evidence = `${timeline.stream} snapshot ${iso(bounds.lastWithAccess)} still lists the account with access`;
      findings.push({
        code: 'not_removed',
        description: `${who} still had access at ${iso(bounds.lastWithAccess)}, the last observation of the period; employment ended ${leaver.endDate}`,
      });
    }
  }
  const delayMs = accessEndedAt === null ? null : Math.max(0, accessEndedAt - leftAt);
  if (delayMs !== null && delayMs > sla)
    findings.push({
      code: 'removed_late',
      description: `${who} was removed ${hours(delayMs)} after employment ended ${leaver.endDate} (SLA ${hours(sla)}; ${precision === 'day' ? 'bounded by daily snapshots' : 'from the event time'})`,
    });
  const used = [
    ...(bounds.lastLogin && Date.parse(bounds.lastLogin) > leftAt + DAY
      ? [{ at: Date.parse(bounds.lastLogin), evidence: `last login ${bounds.lastLogin}` }]
      : []),
    ...events.activity.filter((e) => mine(e) && e.at > leftAt + DAY),
  ].sort((a, b) => a.at - b.at)[0];
  if (used)
    findings.push({
      code: 'active_after_termination',
      description: `${who} was used after employment ended ${leaver.endDate}: ${used.evidence} at ${iso(used.at)}`,
    });
  return {
    ...leaver,
    leftAt,
    system: account.system,
    account: account.accountId,
    stream: timeline.stream,
    itemKey: bounds.lastKey ?? account.accountId,
    accessEndedAt,
    evidence,
    precision,
    delayMs,
    gap,
    findings,
  };
}

/**
 * Every leaver of the period in every system where the leaver had an account: when access ended by the
 * best evidence (a lifecycle or CloudTrail event to the minute, else the first daily snapshot without
 * the account, to the day), the delay from the end of employment, and what is wrong with it.
 */
export async function leaverRows(
  facts: FactsReader,
  period: Window,
  settings: PeopleSettings,
  policy: LeaverPolicy,
): Promise<LeaverRow[]> {
  return leaverRowsOf(facts, period, await readPeopleSnapshots(facts, period, settings), policy);
}

/** The leaver rows from one read of the people snapshots (the event streams are read here). */
export async function leaverRowsOf(
  facts: FactsReader,
  period: Window,
  snapshots: PeopleSnapshots,
  policy: LeaverPolicy,
): Promise<LeaverRow[]> {
  const { register, timelines: systems } = snapshots;
  const events = await lifecycleEvents(facts, period, snapshots.centreUserNames);
  const rows: LeaverRow[] = [];
  for (const leaver of leaversOf(register)) {
    const accounts = register.accounts.filter(
      (account) => account.person === leaver.person && account.linkedBy !== 'service account',
    );
    for (const account of accounts) {
      const timeline = systems.get(account.system);
      if (!timeline) continue;
      const row = await judgeAccount(facts, period, leaver, account, timeline, events, policy);
      if (row) rows.push(row);
    }
  }
  return rows;
}

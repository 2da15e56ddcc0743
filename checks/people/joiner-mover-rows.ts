import type { Finding, FactsReader } from '../../src/checks/check.js';
import { DAY, formatDuration, iso, type Window } from '../../src/time.js';
import {
  firstWithAccess,
  withAccess,
  type SystemObservation,
  type SystemTimeline,
} from './account-timeline.js';
import { readPeopleSnapshots } from './people-snapshots.js';
import type { JmlEvent, RegisteredAccount } from './register.js';
import type { PeopleSettings } from './settings.js';

export type JoinerMoverCode = 'access_before_start' | 'account_for_no_person' | 'mover_privilege_kept';

export interface JoinerMoverPolicy {
  /** How far before the HR start date an account may already exist (provisioning ahead of day one). */
  readonly startTolerance: number;
  /** How long after a department change a privileged role may remain; null: not judged. */
  readonly moverSla: number | null;
}

type JoinerMoverFinding = Finding & { readonly code: JoinerMoverCode };

const startOfDay = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const days = (ms: number) => `${Math.round((ms / DAY) * 10) / 10} day(s)`;

function cite(
  code: JoinerMoverCode,
  timeline: SystemTimeline,
  observation: SystemObservation,
  account: RegisteredAccount,
  description: string,
): JoinerMoverFinding {
  return {
    code,
    stream: timeline.stream,
    keys: [observation.keys.get(account.accountId) ?? account.accountId],
    occurredAt: observation.at,
    description,
    ...(account.person ? { subject: account.person } : {}),
  };
}

/** A joiner's account the snapshots list, with access, more than the tolerance before the HR start date (to the day). */
function accessBeforeStart(
  joiner: JmlEvent,
  account: RegisteredAccount,
  timeline: SystemTimeline,
  tolerance: number,
): JoinerMoverFinding | undefined {
  const index = firstWithAccess(timeline, account.accountId);
  const first = timeline.observations[index];
  if (!first) return undefined;
  const ahead = startOfDay(joiner.date) - first.day;
  if (ahead <= tolerance) return undefined;
  const since = index === 0 ? "already listed when the period's collection began" : 'first listed';
  return cite(
    'access_before_start',
    timeline,
    first,
    account,
    `${joiner.person}'s ${account.system} account ${account.accountId} is ${since} with access in the ${timeline.stream} snapshot of ${dayOf(first.day)}, ${days(ahead)} before the HR start date ${joiner.date} (tolerance ${formatDuration(tolerance)}; to the day, by daily snapshots)`,
  );
}

/** An unlinked account that appears in the period: a snapshot without it, then one with it. */
function accountForNoPerson(
  account: RegisteredAccount,
  timeline: SystemTimeline,
): JoinerMoverFinding | undefined {
  const index = firstWithAccess(timeline, account.accountId);
  const before = timeline.observations[index - 1];
  const first = timeline.observations[index];
  // Listed from the first observation on: created before the period (orphan-accounts answers for it).
  if (!before || !first || before.accounts.has(account.accountId)) return undefined;
  return cite(
    'account_for_no_person',
    timeline,
    first,
    account,
    `${account.system} account ${account.accountId} was created between the ${timeline.stream} snapshots of ${dayOf(before.day)} and ${dayOf(first.day)} and links to no person in the register (no HR record, mapping or declared service account)`,
  );
}

/** A department mover's account still privileged at the first observation past the SLA, privileged throughout since the move. */
function moverPrivilegeKept(
  move: JmlEvent,
  account: RegisteredAccount,
  timeline: SystemTimeline,
  sla: number,
): JoinerMoverFinding | undefined {
  const moved = startOfDay(move.date);
  const since = timeline.observations.filter((o) => o.day >= moved - DAY);
  const past = since.findIndex((o) => o.at >= moved + sla);
  if (past < 0) return undefined; // the SLA has not run out within the period
  const held = since.slice(0, past + 1).every((o) => withAccess(o, account.accountId)?.privileged === true);
  if (!held) return undefined;
  const observation = since[past]!;
  return cite(
    'mover_privilege_kept',
    timeline,
    observation,
    account,
    `${move.person} moved (${move.detail}) on ${move.date}; their ${account.system} account ${account.accountId} held a privileged role from before the move to ${iso(observation.at)}, beyond the mover SLA of ${formatDuration(sla)}`,
  );
}

/**
 * The joiner and mover findings of the period from stored facts only: access before the HR start date,
 * accounts created in the period for no person, and privileged roles kept past a department change.
 */
export async function joinerMoverFindings(
  facts: FactsReader,
  period: Window,
  settings: PeopleSettings,
  policy: JoinerMoverPolicy,
): Promise<JoinerMoverFinding[]> {
  const { register, timelines } = await readPeopleSnapshots(facts, period, settings);
  // Without an HR export or an identity provider there is nobody to link to: nothing can be judged.
  if (register.people.length === 0) return [];
  const findings: JoinerMoverFinding[] = [];
  // A person's own accounts (a service account they own is no access of theirs), grouped once.
  const accountsOf = new Map<string, RegisteredAccount[]>();
  for (const account of register.accounts) {
    if (account.person === null || account.linkedBy === 'service account') continue;
    const mine = accountsOf.get(account.person);
    if (mine) mine.push(account);
    else accountsOf.set(account.person, [account]);
  }
  for (const event of register.events) {
    const judge =
      event.event === 'joiner'
        ? (account: RegisteredAccount, timeline: SystemTimeline) =>
            accessBeforeStart(event, account, timeline, policy.startTolerance)
        : event.event === 'mover' && event.field === 'department' && policy.moverSla !== null
          ? (account: RegisteredAccount, timeline: SystemTimeline) =>
              moverPrivilegeKept(event, account, timeline, policy.moverSla!)
          : undefined;
    if (!judge) continue;
    for (const account of accountsOf.get(event.person) ?? []) {
      const timeline = timelines.get(account.system);
      const finding = timeline && judge(account, timeline);
      if (finding) findings.push(finding);
    }
  }
  for (const account of register.accounts.filter((a) => a.person === null)) {
    const timeline = timelines.get(account.system);
    const finding = timeline && accountForNoPerson(account, timeline);
    if (finding) findings.push(finding);
  }
  return findings;
}

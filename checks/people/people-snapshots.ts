import { z } from 'zod';
import type { Fact, FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import { SnapshotDays, type SystemTimeline } from './account-timeline.js';
import type { AccountAdapter, AccountRecord } from './account.js';
import { awsIdentityCenterAdapter } from './adapters/aws-identity-center-state.js';
import { IdpPeople, idpAdapter } from './idp-people.js';
import {
  adaptersFor,
  HR_STREAM,
  hrPeople,
  linkRegister,
  noteLatest,
  type LatestAccounts,
  type PeopleRegister,
} from './register.js';
import type { PeopleSettings } from './settings.js';

/** What the people checks and files judge: the register and every system's daily observations. */
export interface PeopleSnapshots {
  readonly register: PeopleRegister;
  /** The observations of every collected account stream, by the system name the register uses. */
  readonly timelines: ReadonlyMap<string, SystemTimeline>;
  /** Identity Store user id → user name, from the Identity Center snapshots (its DeleteUser events name only the id). */
  readonly centreUserNames: ReadonlyMap<string, string>;
}

/** Sees every account fact of the pass with the records its adapter made of it (the access review's roles). */
export type AccountFactVisitor = (
  adapter: AccountAdapter,
  fact: Fact,
  records: readonly AccountRecord[],
) => void;

const centreUser = z.looseObject({
  kind: z.string(),
  userName: z.string().optional(),
  userId: z.string().nullable().optional(),
});

/**
 * Reads each account stream of the period once and builds from that one pass everything the people checks
 * need: the latest record of every account (the register), the daily observations (the timelines), the
 * identity provider's people where no HR source is collected, and the Identity Center user ids. Reads
 * stored facts only; the HR export is read once beside it.
 */
export async function readPeopleSnapshots(
  facts: FactsReader,
  period: Window,
  settings: PeopleSettings,
  visit?: AccountFactVisitor,
): Promise<PeopleSnapshots> {
  const hr = facts.collected(HR_STREAM);
  // The identity provider where no HR source is collected: its deactivations are the leavers.
  const idp = hr ? undefined : idpAdapter(facts);
  const idpPeople = idp && new IdpPeople(idp.stream, period);
  const latest: LatestAccounts = new Map();
  const timelines = new Map<string, SystemTimeline>();
  const centreUserNames = new Map<string, string>();
  for (const adapter of adaptersFor(settings)) {
    if (!facts.collected(adapter.stream)) continue;
    const days = new SnapshotDays();
    const centre = adapter.stream === awsIdentityCenterAdapter.stream;
    for await (const fact of facts.items(adapter.stream, period, adapter.schema)) {
      const records = adapter.toAccounts(fact.payload);
      days.add(fact, records);
      noteLatest(latest, records, fact.occurredAt);
      if (adapter === idp) idpPeople?.add(fact, records);
      if (centre) {
        const user = centreUser.safeParse(fact.payload).data;
        if (user?.kind === 'user' && user.userId && user.userName)
          centreUserNames.set(user.userId, user.userName);
      }
      visit?.(adapter, fact, records);
    }
    const observations = days.observations();
    for (const observation of observations)
      for (const record of observation.accounts.values())
        if (!timelines.has(record.system))
          timelines.set(record.system, { stream: adapter.stream, observations });
  }
  const found = hr ? await hrPeople(facts, period) : (idpPeople?.result() ?? { people: [], events: [] });
  return { register: linkRegister(latest, found, settings), timelines, centreUserNames };
}

/** The people register of a period alone (the workforce files, the system description). */
export async function buildPeopleRegister(
  facts: FactsReader,
  period: Window,
  settings: PeopleSettings,
): Promise<PeopleRegister> {
  return (await readPeopleSnapshots(facts, period, settings)).register;
}

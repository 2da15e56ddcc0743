import { z } from 'zod';
import type { Fact, FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import { grantsAccess, type AccountAdapter, type AccountRecord } from './account.js';
import { googleWorkspaceUsersAdapter } from './adapters/google-workspace-users.js';
import { oktaUsersAdapter } from './adapters/okta-users.js';
import type { JmlEvent, RegisteredPerson } from './register.js';

// Okta states when a user's status last changed (for a deactivated or suspended user, when access ended)
// and when it was created; Google Workspace only its creation time.
const times = z.looseObject({
  statusChanged: z.string().nullable().optional(),
  created: z.string().nullable().optional(),
  creationTime: z.string().nullable().optional(),
});

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

interface Seen {
  email: string;
  name: string;
  /** The day the IdP created the user, where it says. */
  created: string | null;
  /** Whether an observation of the period listed the user with access. */
  active: boolean;
  /** When the user lost access after being seen with it: Okta's statusChanged, else the snapshot's day. */
  ended: { at: number; evidence: string } | null;
}

/** The identity provider the register reads people from where no HR source is collected: Okta, else Google Workspace. */
export function idpAdapter(facts: FactsReader): AccountAdapter | undefined {
  return [oktaUsersAdapter, googleWorkspaceUsersAdapter].find((a) => facts.collected(a.stream)) as
    AccountAdapter | undefined;
}

/**
 * People from the identity provider where no HR source is collected: one per Okta user (or Google Workspace
 * user where Okta is not collected) seen with access in the period; a user deactivated or suspended in the
 * period is a leaver, its end date the deactivation (Okta's statusChanged, to the minute) or the first daily
 * snapshot without access (Google, to the day); a user created in the period is a joiner on its creation
 * day. Users never seen with access left before the period. Fed the IdP stream's facts in occurredAt order
 * by the one pass that also builds the account timelines.
 */
export class IdpPeople {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly stream: string,
    private readonly period: Window,
  ) {}

  add(fact: Fact, records: readonly AccountRecord[]): void {
    if (records.length === 0) return;
    const stated = times.safeParse(fact.payload).data;
    const changed = stated?.statusChanged ?? null;
    const created = stated?.created ?? stated?.creationTime ?? null;
    for (const record of records) {
      const user = this.seen.get(record.accountId) ?? {
        email: (record.emails[0] ?? record.accountId).trim().toLowerCase(),
        name: record.accountId,
        created: created && !Number.isNaN(Date.parse(created)) ? dayOf(Date.parse(created)) : null,
        active: false,
        ended: null,
      };
      if (grantsAccess(record)) {
        user.active = true;
        user.ended = null;
      } else if (user.active && user.ended === null)
        user.ended =
          changed !== null && Date.parse(changed) >= this.period.start
            ? {
                at: Date.parse(changed),
                evidence: `${record.system} status ${record.status} since ${changed}`,
              }
            : { at: fact.occurredAt, evidence: `${this.stream} snapshot of ${dayOf(fact.occurredAt)}` };
      this.seen.set(record.accountId, user);
    }
  }

  result(): { people: RegisteredPerson[]; events: JmlEvent[] } {
    const period = this.period;
    const people: RegisteredPerson[] = [];
    const events: JmlEvent[] = [];
    const first = dayOf(period.start);
    const last = dayOf(period.end - 1);
    for (const user of this.seen.values()) {
      if (!user.active) continue;
      const endDate = user.ended ? dayOf(user.ended.at) : null;
      people.push({
        email: user.email,
        employeeId: null,
        name: user.name,
        startDate: user.created,
        endDate,
        department: null,
        jobTitle: null,
        source: 'identity provider',
      });
      // A user the IdP created in the period is a joiner on that day.
      if (user.created !== null && user.created >= first && user.created <= last)
        events.push({
          event: 'joiner',
          person: user.email,
          employeeId: null,
          name: user.name,
          date: user.created,
          source: 'identity provider creation date',
          field: null,
          detail: '',
        });
      if (user.ended && endDate)
        events.push({
          event: 'leaver',
          person: user.email,
          employeeId: null,
          name: user.name,
          date: endDate,
          source: `identity provider deactivation (${user.ended.evidence})`,
          field: null,
          detail: '',
        });
    }
    return { people, events };
  }
}

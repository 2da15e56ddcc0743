import { z } from 'zod';
import { defineCheck, type Finding } from '../src/checks/check.js';
import { activeAtEnd, lastKeyOf } from './people/account-timeline.js';
import { DEFAULT_PEOPLE_SETTINGS, type PeopleSettingsSource } from './people/defaults.js';
import { readPeopleSnapshots, type PeopleSnapshots } from './people/people-snapshots.js';
import { registerStreams } from './people/register.js';

const CODES = {
  unlinked_account: 'an active account links to no person in the register',
  account_of_inactive_person: 'an active account links to a person whose employment has ended',
  service_account_owner_left: "a declared service account's owner has left",
} as const;

const policy = z.object({}).strict();

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The orphan-account findings of the period from one read of the people snapshots. */
export function* orphanAccountFindings({ register, timelines }: PeopleSnapshots): Generator<Finding> {
  // Without an HR export or an identity provider there is nobody to link to: nothing can be judged.
  if (register.people.length === 0) return;
  const people = new Map(register.people.map((person) => [person.email, person]));
  for (const account of register.accounts) {
    const timeline = timelines.get(account.system);
    if (!timeline || !activeAtEnd(timeline, account.accountId)) continue;
    const last = timeline.observations[timeline.observations.length - 1]!;
    const person = account.person === null ? undefined : people.get(account.person);
    const left = person?.endDate != null && person.endDate < dayOf(last.at);
    const name = `${account.system} account ${account.accountId}`;
    // Name the day the snapshot stands for, inside the period; it is read after that day closes (the next
    // day for the period's last), so the read time is given exactly rather than as a day past the period.
    const seen = `${dayOf(last.day)} (last snapshot of the period, read ${new Date(last.at).toISOString()})`;
    const finding = (code: keyof typeof CODES, description: string) => ({
      code,
      stream: timeline.stream,
      keys: [lastKeyOf(timeline, account.accountId)],
      occurredAt: last.at,
      description,
      ...(account.person ? { subject: account.person } : {}),
    });
    if (account.linkedBy === 'service account') {
      if (!person || left)
        yield finding(
          'service_account_owner_left',
          `service ${name} (${account.serviceReason ?? ''}) is owned by ${account.person ?? 'nobody'}, who ${person ? `left on ${person.endDate}` : 'is not in the register'}`,
        );
    } else if (account.person === null)
      yield finding('unlinked_account', `${name} is active on ${seen} and links to no person`);
    else if (!person || left)
      yield finding(
        'account_of_inactive_person',
        `${name} of ${account.person} is active on ${seen}; ${person ? `employment ended ${person.endDate}` : 'the person is not in the register'}`,
      );
  }
}

/** Every account still active at the end of the period that no active person answers for. */
export function orphanAccountsCheck(settings: PeopleSettingsSource) {
  return defineCheck<z.infer<typeof policy>>({
    id: 'orphan-accounts',
    version: 1,
    title: 'Orphan and unlinked accounts',
    description:
      'Every account active in a collected system at the end of the period belongs to an active person, or is a declared service account whose owner is still employed.',
    criteria: ['CC6.1', 'CC6.2'],
    isoControls: ['A.5.16', 'A.5.18'],
    streams: registerStreams(DEFAULT_PEOPLE_SETTINGS),
    codes: CODES,
    policy,
    async *judge({ facts, period }) {
      yield* orphanAccountFindings(await readPeopleSnapshots(facts, period, settings()));
    },
  });
}

export const orphanAccounts = orphanAccountsCheck(() => DEFAULT_PEOPLE_SETTINGS);

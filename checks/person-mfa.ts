import { z } from 'zod';
import { defineCheck } from '../src/checks/check.js';
import { activeAtEnd, lastKeyOf } from './people/account-timeline.js';
import { DEFAULT_PEOPLE_SETTINGS, type PeopleSettingsSource } from './people/defaults.js';
import { mfaRows } from './people/mfa-rows.js';
import { readPeopleSnapshots } from './people/people-snapshots.js';
import { registerStreams } from './people/register.js';

export const CREDENTIAL_REPORT = 'aws-credential-report';

const CODES = {
  mfa_missing:
    'an active person has an account without MFA (IdP factors, Google 2SV, GitHub 2FA, IAM MFA for console users)',
} as const;

const policy = z.object({}).strict();

/** For every active person, MFA in every system where they hold an active account. */
export function personMfaCheck(settings: PeopleSettingsSource) {
  return defineCheck<z.infer<typeof policy>>({
    id: 'person-mfa',
    version: 1,
    title: 'MFA per person',
    description:
      'Every person employed at the end of the period has MFA on each active account: Okta factors, Google 2-Step Verification, GitHub 2FA and MFA for IAM users who can sign in to the console.',
    criteria: ['CC6.1'],
    isoControls: ['A.8.5'],
    streams: [...registerStreams(DEFAULT_PEOPLE_SETTINGS), CREDENTIAL_REPORT],
    codes: CODES,
    policy,
    async *judge({ facts, period }) {
      const snapshots = await readPeopleSnapshots(facts, period, settings());
      const { timelines } = snapshots;
      for (const row of await mfaRows(facts, period, snapshots)) {
        const timeline = timelines.get(row.system);
        if (row.mfa !== false || !timeline || !activeAtEnd(timeline, row.account)) continue;
        yield {
          code: 'mfa_missing',
          stream: timeline.stream,
          keys: [lastKeyOf(timeline, row.account)],
          occurredAt: timeline.observations[timeline.observations.length - 1]!.at,
          description: `${row.person}'s ${row.system} account ${row.account} has no MFA (${row.evidence})`,
          subject: row.person,
        };
      }
    },
  });
}

export const personMfa = personMfaCheck(() => DEFAULT_PEOPLE_SETTINGS);

import { z } from 'zod';
import { defineCheck } from '../src/checks/check.js';
import type { CodeEntry } from '../src/checks/check-codes.js';
import { durationSchema } from '../src/time.js';
import { DEFAULT_PEOPLE_SETTINGS, type PeopleSettingsSource } from './people/defaults.js';
import { joinerMoverFindings, type JoinerMoverCode } from './people/joiner-mover-rows.js';
import { registerStreams } from './people/register.js';

const CODES: Record<JoinerMoverCode, CodeEntry> = {
  access_before_start: {
    means:
      "a joiner's account existed with access earlier before the HR start date than the tolerance allows",
    kind: 'event',
  },
  account_for_no_person: {
    means: 'an account was created in the period that links to no person and is no declared service account',
    kind: 'event',
  },
  mover_privilege_kept:
    'a person who changed department still held an admin or privileged role after the mover SLA',
};

export const joinerMoverPolicy = z
  .object({
    /** How far before the HR start date an account may already exist (provisioning ahead of day one). */
    startTolerance: durationSchema.prefault('1d'),
    /** How long after a department change a privileged role may remain; off (null) unless configured. */
    moverSla: durationSchema.nullable().default(null),
  })
  .strict();
type Policy = z.infer<typeof joinerMoverPolicy>;

export function joinerMoverAccessCheck(settings: PeopleSettingsSource) {
  return defineCheck<Policy>({
    id: 'joiner-mover-access',
    version: 1,
    title: 'Joiner and mover access',
    description:
      'No account of a joiner exists before the HR start date (beyond a tolerance), no account is created for no person, and a person who changes department does not keep an admin or privileged role beyond the mover SLA (when configured).',
    criteria: ['CC6.2', 'CC6.3'],
    isoControls: ['A.5.18'],
    streams: registerStreams(DEFAULT_PEOPLE_SETTINGS),
    codes: CODES,
    policy: joinerMoverPolicy,
    async *judge({ facts, period, policy }) {
      yield* await joinerMoverFindings(facts, period, settings(), policy);
    },
  });
}

export const joinerMoverAccess = joinerMoverAccessCheck(() => DEFAULT_PEOPLE_SETTINGS);

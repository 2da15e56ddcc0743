import { z } from 'zod';
import { defineCheck } from '../src/checks/check.js';
import { durationSchema } from '../src/time.js';
import { DEFAULT_PEOPLE_SETTINGS, type PeopleSettingsSource } from './people/defaults.js';
import { leaverRows } from './people/leaver-rows.js';
import { registerStreams } from './people/register.js';
import { REMOVAL_EVENT_STREAMS } from './people/removal-events.js';

const CODES = {
  removed_late: {
    means: "a leaver's access to a system ended later after the end of employment than the SLA allows",
    kind: 'event',
  },
  not_removed: "a leaver's account still had access at the end of the period",
  removal_not_evidenced: {
    means: 'the system was not collected when a leaver lost access, so the removal time is not evidenced',
    status: 'pending',
    kind: 'event',
  },
  active_after_termination: {
    means: "a leaver's account was used after the end of employment",
    kind: 'event',
  },
} as const;

export const leaverPolicy = z
  .object({
    /** How long after the end of employment access may remain. */
    sla: durationSchema.prefault('24h'),
    /** Per system, by the register's system name ("GitHub", "AWS IAM"): overrides `sla`. */
    slaBySystem: z.record(z.string(), durationSchema).default({}),
  })
  .strict();
type Policy = z.infer<typeof leaverPolicy>;

export function leaverAccessRemovalCheck(settings: PeopleSettingsSource) {
  return defineCheck<Policy>({
    id: 'leaver-access-removal',
    // 2: production changes landed by a leaver's GitHub account count as use (active_after_termination).
    version: 2,
    title: 'Leaver access removal',
    description:
      'For every person whose employment ended in the period, access to every system where they had an account ended within the SLA, by the best evidence collected, and the account was not used afterwards.',
    criteria: ['CC6.2', 'CC6.3'],
    isoControls: ['A.5.18', 'A.6.5'],
    streams: [...registerStreams(DEFAULT_PEOPLE_SETTINGS), ...REMOVAL_EVENT_STREAMS],
    codes: CODES,
    policy: leaverPolicy,
    async *judge({ facts, period, policy }) {
      for (const row of await leaverRows(facts, period, settings(), policy))
        for (const finding of row.findings)
          yield {
            code: finding.code,
            stream: row.stream,
            keys: [row.itemKey],
            occurredAt: row.accessEndedAt ?? row.leftAt,
            description: finding.description,
            subject: row.person,
          };
    },
  });
}

export const leaverAccessRemoval = leaverAccessRemovalCheck(() => DEFAULT_PEOPLE_SETTINGS);

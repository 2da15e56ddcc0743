import { z } from 'zod';
import { securityReasons } from '../connectors/aws/events.js';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';

const STREAM = 'aws-cloudtrail-security-events';

const CODES = {
  ROOT_ACCOUNT_USED: 'the root user was used',
  CONSOLE_LOGIN_FAILED: 'a console sign-in failed',
  CONSOLE_LOGIN_WITHOUT_MFA: 'a console sign-in without MFA',
  LOGGING_STOPPED: 'a trail was stopped',
  LOGGING_STOPPED_ATTEMPT: 'an attempt to stop a trail',
  TRAIL_DELETED: 'a trail was deleted',
  TRAIL_DELETED_ATTEMPT: 'an attempt to delete a trail',
  TRAIL_UPDATED: 'a trail was changed',
  TRAIL_UPDATED_ATTEMPT: 'an attempt to change a trail',
  EVENT_SELECTORS_CHANGED: 'what a trail records was changed',
  EVENT_SELECTORS_CHANGED_ATTEMPT: 'an attempt to change what a trail records',
  MFA_DEACTIVATED: 'an MFA device was removed',
  MFA_DEACTIVATION_ATTEMPT: 'an attempt to remove an MFA device',
} as const;

/** The facts the rules read; items stored before checks existed carry the codes they were given then. */
const factsSchema = z.union([
  z.object({
    eventSource: z.string(),
    eventName: z.string(),
    identityType: z.string().nullable(),
    invokedBy: z.string().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    consoleLogin: z.string().nullable(),
    mfaUsed: z.string().nullable(),
    actor: z.string(),
  }),
  z.object({ findings: z.array(z.string()), eventName: z.string(), actor: z.string() }),
]);

export const securityEvents = defineCheck({
  id: 'security-events',
  version: 1,
  title: 'CloudTrail security events',
  description:
    'Every use of the root user, failed or MFA-less console sign-in, change to a trail and removal of an MFA device in the period is listed for follow-up.',
  criteria: ['CC7.2', 'CC7.3'],
  isoControls: ['A.8.15', 'A.8.16'],
  streams: [STREAM],
  codes: CODES,
  policy: z.object({}).strict(),
  judge: judgeEachItem(STREAM, factsSchema, (fact) => {
    const facts = fact.payload;
    if ('findings' in facts)
      return facts.findings.map((code) => ({
        code,
        description: `${facts.actor} ${facts.eventName}: ${CODES[code as keyof typeof CODES] ?? code}`,
      }));
    return securityReasons(facts).map((reason) => ({
      code: reason.code,
      description: `${facts.actor}: ${reason.description}`,
    }));
  }),
});

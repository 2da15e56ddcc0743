import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';

const STREAM = 'aws-cloudtrail-access-changes';
const CODES = {
  ACCESS_CHANGE_FAILED: 'an IAM or Identity Center write was refused: an attempt, not an effective change',
} as const;

export const accessChangeOutcome = defineCheck({
  id: 'access-change-outcome',
  version: 1,
  title: 'Refused access changes',
  description:
    'Every IAM or Identity Center write that AWS refused in the period is listed, since a refused change is an attempt someone made without the right to make it.',
  criteria: ['CC6.2', 'CC6.3'],
  isoControls: ['A.5.18', 'A.8.2'],
  streams: [STREAM],
  codes: CODES,
  policy: z.object({}).strict(),
  judge: judgeEachItem(
    STREAM,
    z.object({ eventName: z.string(), actor: z.string(), errorCode: z.string().nullable() }),
    (fact) =>
      fact.payload.errorCode
        ? [
            {
              code: 'ACCESS_CHANGE_FAILED',
              description: `${fact.payload.actor}: ${fact.payload.eventName} failed (${fact.payload.errorCode}); not an effective change`,
            },
          ]
        : [],
  ),
});

import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';

const STREAM = 'aws-cloudtrail-log-samples';
const CODES = {
  NO_EVENTS_LOGGED: 'CloudTrail recorded no management events in a region for an hour',
} as const;

export const loggingOperated = defineCheck({
  id: 'logging-operated',
  version: 1,
  title: 'CloudTrail logging operated',
  description:
    'CloudTrail recorded management events in every collected account and region in every hour of the period.',
  criteria: ['CC7.2'],
  isoControls: ['A.8.15'],
  streams: [STREAM],
  codes: CODES,
  policy: z.object({}).strict(),
  judge: judgeEachItem(
    STREAM,
    z.object({ account: z.string(), region: z.string(), hourStart: z.string(), eventCount: z.number() }),
    (fact) =>
      fact.payload.eventCount === 0
        ? [
            {
              code: 'NO_EVENTS_LOGGED',
              description: `CloudTrail recorded no management events in ${fact.payload.region} of ${fact.payload.account} in the hour from ${fact.payload.hourStart}`,
              // Silent hours of one account and region are one condition.
              subject: `${fact.payload.account}/${fact.payload.region}`,
            },
          ]
        : [],
  ),
});

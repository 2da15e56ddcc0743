import { z } from 'zod';
import { defineCheck, type Fact, type Finding } from '../src/checks/check.js';

const STREAM = 'aws-trail-status';

const CODES = {
  NO_TRAIL: 'an account has no CloudTrail trail',
  LOGGING_OFF: 'a trail was not logging',
  DELIVERY_ERROR: 'a trail could not deliver its log files',
  LOG_FILE_VALIDATION_OFF: 'a trail does not validate its log files (no digest files)',
  NO_MULTI_REGION_TRAIL: 'an account has no multi-region trail',
} as const;

const trailSchema = z.object({
  account: z.string(),
  observedFor: z.string(),
  trailArn: z.string().nullable(),
  name: z.string().nullable(),
  isLogging: z.boolean(),
  multiRegion: z.boolean(),
  logFileValidation: z.boolean(),
  latestDeliveryError: z.string().nullable(),
});
type TrailFact = Fact<z.infer<typeof trailSchema>>;

function judgeAccountDay(trails: readonly TrailFact[]): Finding[] {
  const findings: Finding[] = [];
  const anyMultiRegion = trails.some((trail) => trail.payload.multiRegion);
  for (const { key, occurredAt, stream, payload } of trails) {
    const finding = (code: keyof typeof CODES, description: string) =>
      findings.push({ code, stream, keys: [key], occurredAt, description });
    if (payload.trailArn === null) {
      finding('NO_TRAIL', `account ${payload.account} has no CloudTrail trail`);
      continue;
    }
    if (!payload.isLogging) finding('LOGGING_OFF', `trail ${payload.name} is not logging`);
    if (payload.latestDeliveryError)
      finding('DELIVERY_ERROR', `trail ${payload.name} cannot deliver: ${payload.latestDeliveryError}`);
    if (!payload.logFileValidation)
      finding('LOG_FILE_VALIDATION_OFF', `trail ${payload.name} does not validate its log files`);
    if (!anyMultiRegion)
      finding('NO_MULTI_REGION_TRAIL', `account ${payload.account} has no multi-region trail`);
  }
  return findings;
}

export const trailConfiguration = defineCheck({
  id: 'trail-configuration',
  version: 1,
  title: 'CloudTrail trail configuration',
  description:
    'Every collected AWS account had, on every observed day, a multi-region trail that was logging, delivering and validating its log files.',
  criteria: ['CC7.2'],
  isoControls: ['A.8.15'],
  streams: [STREAM],
  codes: CODES,
  policy: z.object({}).strict(),
  async *judge({ facts, period }) {
    // A multi-region trail anywhere in the account covers it: judge each account's trails of a day together.
    let group: TrailFact[] = [];
    let groupKey = '';
    for await (const fact of facts.items(STREAM, period, trailSchema)) {
      const key = `${fact.payload.observedFor}/${fact.payload.account}`;
      if (key !== groupKey && group.length > 0) {
        yield* judgeAccountDay(group);
        group = [];
      }
      groupKey = key;
      group.push(fact);
    }
    yield* judgeAccountDay(group);
  },
});

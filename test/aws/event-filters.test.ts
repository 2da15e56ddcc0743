import { describe, expect, it } from 'vitest';
import {
  ACCESS_CHANGE_EVENTS,
  isAccessChange,
  mayBeAccessChange,
  mayBeSecurityEvent,
  securityFactsOf,
  securityReasons,
} from '../../connectors/aws/events.js';
import { trailRecordSchema } from '../../connectors/aws/trail-event.js';

// Every name either filter or judge knows, plus ordinary ones, under every kind of identity.
const NAMES: [string, string][] = [
  ...Object.entries(ACCESS_CHANGE_EVENTS).flatMap(([source, names]) =>
    names.map((name): [string, string] => [source, name]),
  ),
  ['signin.amazonaws.com', 'ConsoleLogin'],
  ['cloudtrail.amazonaws.com', 'StopLogging'],
  ['cloudtrail.amazonaws.com', 'DeleteTrail'],
  ['cloudtrail.amazonaws.com', 'UpdateTrail'],
  ['cloudtrail.amazonaws.com', 'PutEventSelectors'],
  ['cloudtrail.amazonaws.com', 'StartLogging'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['s3.amazonaws.com', 'DeleteBucket'],
];
const IDENTITIES = [
  { type: 'Root', arn: 'arn:aws:iam::123456789012:root' },
  { type: 'Root', invokedBy: 'support.amazonaws.com' },
  { type: 'IAMUser', userName: 'alice' },
  { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/admin/bob' },
  { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
];
const OUTCOMES = [
  {},
  { errorCode: 'AccessDenied' },
  { responseElements: { ConsoleLogin: 'Failure' } },
  { additionalEventData: { MFAUsed: 'No' } },
];

function* records() {
  let n = 0;
  for (const [eventSource, eventName] of NAMES)
    for (const userIdentity of IDENTITIES)
      for (const outcome of OUTCOMES)
        yield {
          eventID: `e${(n += 1)}`,
          eventTime: '2026-01-10T12:00:00Z',
          eventSource,
          eventName,
          awsRegion: 'us-east-1',
          userIdentity,
          ...outcome,
        };
}

describe('filters applied before validation', () => {
  it('never skip a record the stream would keep', () => {
    let kept = 0;
    for (const raw of records()) {
      const record = trailRecordSchema.parse(raw);
      if (isAccessChange(record)) expect(mayBeAccessChange(raw), raw.eventName).toBe(true);
      if (securityReasons(securityFactsOf(record)).length > 0) {
        kept += 1;
        expect(mayBeSecurityEvent(raw), `${raw.eventName} by ${raw.userIdentity.type}`).toBe(true);
      }
    }
    expect(kept).toBeGreaterThan(100);
  });

  it('skip what is plainly another event, and let a record too broken to name through', () => {
    const ordinary = { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances' };
    expect(mayBeAccessChange(ordinary)).toBe(false);
    expect(mayBeSecurityEvent({ ...ordinary, userIdentity: { type: 'IAMUser' } })).toBe(false);
    for (const broken of [
      null,
      'text',
      { eventName: 'DescribeInstances' },
      { ...ordinary, eventSource: 7 },
    ]) {
      expect(mayBeAccessChange(broken)).toBe(true);
      expect(mayBeSecurityEvent(broken)).toBe(true);
    }
    expect(mayBeSecurityEvent({ ...ordinary, userIdentity: null })).toBe(true);
  });
});

import type { GroundTruth } from './account-history.js';
import type { SandboxRecord } from './iam-model.js';
import { json, jsonError, type SandboxResponse } from './protocols.js';

const DAY = 86_400_000;
const PAGE = 50;

/** LookupEvents' own limit: 2 requests per second per account and region (a token bucket of 2). */
export class LookupThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Requests refused with ThrottlingException so far. */
  rejected = 0;

  constructor(private readonly perSecond = 2) {}

  take(region: string): boolean {
    const now = performance.now();
    const bucket = this.buckets.get(region) ?? { tokens: this.perSecond, at: now };
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(region, bucket);
    if (bucket.tokens < 1) {
      this.rejected += 1;
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}

const seconds = (at: number) => at / 1000;

/** A key the sandbox publishes through ListPublicKeys. */
export interface PublishedKey {
  readonly fingerprint: string;
  readonly publicDer: Buffer;
  readonly validFrom: number;
  readonly validTo: number;
}

export function cloudtrailApi(
  truth: GroundTruth,
  now: () => number,
  throttle: LookupThrottle,
  byRegion: Map<string, SandboxRecord[]>,
  publicKeys: () => readonly PublishedKey[] = () => [],
) {
  const trailArn = `arn:aws:cloudtrail:us-east-1:${truth.accountId}:trail/management-events`;
  return (operation: string, input: Record<string, unknown>, region: string): SandboxResponse => {
    switch (operation) {
      case 'LookupEvents': {
        if (!throttle.take(region)) return jsonError(400, 'ThrottlingException', 'Rate exceeded');
        if (input.LookupAttributes)
          return jsonError(
            400,
            'InvalidLookupAttributesException',
            'the sandbox serves unfiltered lookups only',
          );
        // Only the last 90 days are served, and nothing after "now".
        const floor = now() - 90 * DAY;
        const from = Math.max(floor, typeof input.StartTime === 'number' ? input.StartTime * 1000 : floor);
        const to = Math.min(now(), typeof input.EndTime === 'number' ? input.EndTime * 1000 : now());
        const size = Math.min(PAGE, typeof input.MaxResults === 'number' ? input.MaxResults : PAGE);
        const offset =
          typeof input.NextToken === 'string'
            ? Number(Buffer.from(input.NextToken, 'base64url').toString())
            : 0;
        const matching = (byRegion.get(region) ?? []).filter((record) => {
          const at = Date.parse(record.eventTime);
          return at >= from && at <= to;
        });
        matching.reverse(); // newest first, as CloudTrail answers
        const page = matching.slice(offset, offset + size);
        return json(200, {
          Events: page.map((record) => ({
            EventId: record.eventID,
            EventName: record.eventName,
            ReadOnly: String(record.readOnly),
            EventTime: seconds(Date.parse(record.eventTime)),
            EventSource: record.eventSource,
            Username: record.userIdentity.userName,
            Resources: [],
            CloudTrailEvent: JSON.stringify(record),
          })),
          ...(offset + size < matching.length
            ? { NextToken: Buffer.from(String(offset + size)).toString('base64url') }
            : {}),
        });
      }
      case 'DescribeTrails':
        return json(200, {
          trailList:
            region === 'us-east-1' || input.includeShadowTrails !== false
              ? [
                  {
                    Name: 'management-events',
                    TrailARN: trailArn,
                    HomeRegion: 'us-east-1',
                    S3BucketName: 'sandbox-trail',
                    IsMultiRegionTrail: true,
                    IsOrganizationTrail: false,
                    LogFileValidationEnabled: true,
                    IncludeGlobalServiceEvents: true,
                  },
                ]
              : [],
        });
      case 'GetTrailStatus': {
        if (input.Name !== trailArn && input.Name !== 'management-events')
          return jsonError(400, 'TrailNotFoundException', `Unknown trail: ${String(input.Name)}`);
        const at = now();
        const stopped = at >= truth.outage.start && at < truth.outage.end;
        return json(200, {
          IsLogging: !stopped,
          LatestDeliveryTime: seconds(stopped ? truth.outage.start : at - 5 * 60_000),
          ...(at >= truth.outage.start ? { StopLoggingTime: seconds(truth.outage.start) } : {}),
          ...(at >= truth.outage.end
            ? { StartLoggingTime: seconds(truth.outage.end) }
            : { StartLoggingTime: seconds(truth.period.start) }),
        });
      }
      case 'ListPublicKeys': {
        // Keys whose validity overlaps [StartTime, EndTime]; without a range, the current key.
        const from = typeof input.StartTime === 'number' ? input.StartTime * 1000 : now();
        const to = typeof input.EndTime === 'number' ? input.EndTime * 1000 : now();
        if (from > to) return jsonError(400, 'InvalidTimeRangeException', 'StartTime must be before EndTime');
        return json(200, {
          PublicKeyList: publicKeys()
            .filter((key) => key.validFrom <= to && key.validTo >= from)
            .map((key) => ({
              // The blob carries base64 text of the DER, which the AWS CLI decodes once more.
              Value: Buffer.from(key.publicDer.toString('base64')).toString('base64'),
              ValidityStartTime: seconds(key.validFrom),
              ValidityEndTime: seconds(key.validTo),
              Fingerprint: key.fingerprint,
            })),
        });
      }
      default:
        return jsonError(400, 'UnknownOperationException', `the sandbox does not serve ${operation}`);
    }
  };
}

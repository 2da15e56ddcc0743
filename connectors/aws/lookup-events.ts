import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { Window } from '../../src/time.js';
import { awsCall } from './aws-errors.js';
import { checkedForSurrogates, type RawRecord } from './event-source.js';
import { SURROGATE_ESCAPE } from './trail-cutter.js';

/** LookupEvents allows 2 requests per second per account and region, shared by every worker. */
export const LOOKUP_RATE_PER_SECOND = 2;

export const lookupLimiterKey = (account: string, region: string) => `lookup-${account}-${region}`;

/**
 * Every management event of one region in the window, page by page (50 a page), each page waiting for its
 * turn on the shared limiter. LookupEvents' time filter is inclusive; the caller trims to [start, end).
 */
export async function* lookupRecords(
  client: CloudTrailClient,
  account: string,
  region: string,
  window: Window,
  acquire: (key: string, perSecond: number) => Promise<void>,
  signal: AbortSignal,
): AsyncGenerator<readonly RawRecord[]> {
  // The SDK loads on first use, so the CLI's other commands start without it.
  const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  let token: string | undefined;
  do {
    await acquire(lookupLimiterKey(account, region), LOOKUP_RATE_PER_SECOND);
    const page = await awsCall(`cloudtrail LookupEvents ${account} ${region}`, () =>
      client.send(
        new LookupEventsCommand({
          StartTime: new Date(window.start),
          EndTime: new Date(window.end),
          MaxResults: 50,
          ...(token ? { NextToken: token } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    yield (page.Events ?? []).map((event): RawRecord => {
      const where = `LookupEvents ${account} ${region} event ${event.EventId ?? '(no id)'}`;
      try {
        const text = event.CloudTrailEvent ?? 'null';
        const raw = JSON.parse(text) as unknown;
        const record: RawRecord = { raw, where, fromWindow: true };
        return SURROGATE_ESCAPE.test(text) ? checkedForSurrogates(record) : record;
      } catch {
        return {
          raw: event.CloudTrailEvent,
          where,
          fromWindow: true,
          problem: 'CloudTrailEvent is not JSON',
        };
      }
    });
    token = page.NextToken;
  } while (token);
}

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineStream } from '../../../src/stream.js';
import { LooseFileMemory } from '../loose-files.js';
import { HOUR } from '../../../src/time.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { windowEvents } from '../event-source.js';
import { eventRegions, eventRetention } from '../stream-common.js';
import { actorOf, type TrailEvent } from '../trail-event.js';
import { awsStreams } from '../manifest.js';

const sampledEventSchema = z.object({
  eventId: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  actor: z.string(),
});

export const logSampleSchema = z.object({
  account: z.string(),
  region: z.string(),
  hourStart: z.string(),
  hourEnd: z.string(),
  eventCount: z.number().int().nonnegative(),
  /** Up to sampleSize events, chosen by the lowest hash of their eventID: the same sample on every run. */
  sample: z.array(sampledEventSchema),
});

export type LogSample = z.infer<typeof logSampleSchema>;

interface HourTally {
  count: number;
  sample: { rank: string; event: TrailEvent }[];
}

const rankOf = (id: string) => createHash('sha1').update(id).digest('hex');

function addToSample(tally: HourTally, event: TrailEvent, size: number): void {
  tally.count += 1;
  const rank = rankOf(event.id);
  if (tally.sample.length >= size && rank >= (tally.sample.at(-1) as { rank: string }).rank) return;
  tally.sample.push({ rank, event });
  tally.sample.sort((a, b) => (a.rank < b.rank ? -1 : 1));
  if (tally.sample.length > size) tally.sample.pop();
}

export const logSamplesStream = defineStream<AwsClient, LogSample, AwsConfig>({
  ...awsStreams['aws-cloudtrail-log-samples'],
  retention: eventRetention,
  itemSchema: logSampleSchema,
  populationColumns: [
    { header: 'Hour (UTC)', value: (item) => item.payload.hourStart },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Region', value: (item) => item.payload.region },
    { header: 'Events', value: (item) => item.payload.eventCount },
    { header: 'Sampled event IDs', value: (item) => item.payload.sample.map((e) => e.eventId).join(' ') },
  ],
  async *collect(window, cursor, ctx) {
    const loose = new LooseFileMemory(cursor);
    const size = ctx.client.config.sampleSize;
    for (const clients of ctx.client.accounts) {
      for (const region of eventRegions(clients.account)) {
        const hours: number[] = [];
        for (let at = window.start; at < window.end; at += HOUR) hours.push(at);
        const tallies = new Map<number, HourTally>(hours.map((at) => [at, { count: 0, sample: [] }]));
        for await (const event of windowEvents(clients, region, window, ctx, { loose })) {
          const hour = window.start + Math.floor((event.at - window.start) / HOUR) * HOUR;
          addToSample(tallies.get(hour) as HourTally, event, size);
        }
        for (const hour of hours) {
          const tally = tallies.get(hour) as HourTally;
          const end = Math.min(hour + HOUR, window.end);
          const hourStart = new Date(hour).toISOString();
          yield {
            key: `${clients.account.id}/${region}/${hourStart}`,
            occurredAt: hour,
            payload: {
              account: clients.account.id,
              region,
              hourStart,
              hourEnd: new Date(end).toISOString(),
              eventCount: tally.count,
              sample: tally.sample.map(({ event }) => ({
                eventId: event.id,
                eventTime: new Date(event.at).toISOString(),
                eventName: event.record.eventName,
                eventSource: event.record.eventSource,
                actor: actorOf(event.record),
              })),
            },
            // An hour with no events proves collection ran but is no source activity: silence stays visible.
            ...(tally.count === 0 ? { quiet: true } : {}),
          };
        }
      }
    }
    return loose.cursor();
  },
});

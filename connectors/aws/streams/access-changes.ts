import { z } from 'zod';
import { defineStream } from '../../../src/stream.js';
import { LooseFileMemory } from '../loose-files.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { isAccessChange, mayBeAccessChange } from '../events.js';
import { accountEvents, eventRetention } from '../stream-common.js';
import { actorOf, targetOf } from '../trail-event.js';
import { awsStreams } from '../manifest.js';

export const accessChangeSchema = z.object({
  account: z.string(),
  region: z.string(),
  eventId: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  actor: z.string(),
  target: z.string(),
  /** False when the call failed (errorCode set): kept as evidence of the attempt, never counted as a change. */
  effective: z.boolean(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  sourceIp: z.string().nullable(),
  requestParameters: z.record(z.string(), z.unknown()).nullable(),
});

export type AccessChange = z.infer<typeof accessChangeSchema>;

export const accessChangesStream = defineStream<AwsClient, AccessChange, AwsConfig>({
  ...awsStreams['aws-cloudtrail-access-changes'],
  retention: eventRetention,
  itemSchema: accessChangeSchema,
  populationColumns: [
    { header: 'Event ID', value: (item) => item.payload.eventId },
    { header: 'Time (UTC)', value: (item) => item.payload.eventTime },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Actor', value: (item) => item.payload.actor },
    { header: 'Action', value: (item) => item.payload.eventName },
    { header: 'Target', value: (item) => item.payload.target },
    { header: 'Effective', value: (item) => item.payload.effective },
    { header: 'Error code', value: (item) => item.payload.errorCode },
  ],
  async *collect(window, cursor, ctx) {
    const loose = new LooseFileMemory(cursor);
    for await (const found of accountEvents(window, ctx, mayBeAccessChange, loose)) {
      const { account, event } = found;
      const { record } = event;
      if (!isAccessChange(record)) continue;
      const effective = !record.errorCode;
      yield {
        key: event.id,
        occurredAt: event.at,
        payload: {
          account: account.id,
          region: record.awsRegion,
          eventId: event.id,
          eventTime: new Date(event.at).toISOString(),
          eventName: record.eventName,
          eventSource: record.eventSource,
          actor: actorOf(record),
          target: targetOf(record),
          effective,
          errorCode: record.errorCode ?? null,
          errorMessage: record.errorMessage ?? null,
          sourceIp: record.sourceIPAddress ?? null,
          requestParameters: record.requestParameters ?? null,
        },
      };
    }
    return loose.cursor();
  },
});

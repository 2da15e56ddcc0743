import { z } from 'zod';
import { defineStream } from '../../../src/stream.js';
import { LooseFileMemory } from '../loose-files.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { mayBeSecurityEvent, securityFactsOf, securityReasons } from '../events.js';
import { accountEvents, eventRetention } from '../stream-common.js';
import { actorOf } from '../trail-event.js';
import { awsStreams } from '../manifest.js';

export const securityEventSchema = z.object({
  account: z.string(),
  region: z.string(),
  eventId: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  actor: z.string(),
  identityType: z.string().nullable(),
  invokedBy: z.string().nullable(),
  consoleLogin: z.string().nullable(),
  mfaUsed: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  sourceIp: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export type SecurityEvent = z.infer<typeof securityEventSchema>;

export const securityEventsStream = defineStream<AwsClient, SecurityEvent, AwsConfig>({
  ...awsStreams['aws-cloudtrail-security-events'],
  retention: eventRetention,
  itemSchema: securityEventSchema,
  populationColumns: [
    { header: 'Event ID', value: (item) => item.payload.eventId },
    { header: 'Time (UTC)', value: (item) => item.payload.eventTime },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Actor', value: (item) => item.payload.actor },
    { header: 'Action', value: (item) => item.payload.eventName },
    { header: 'Error code', value: (item) => item.payload.errorCode },
  ],
  async *collect(window, cursor, ctx) {
    const loose = new LooseFileMemory(cursor);
    for await (const found of accountEvents(window, ctx, mayBeSecurityEvent, loose)) {
      const { account, event } = found;
      const { record } = event;
      const facts = securityFactsOf(record);
      if (securityReasons(facts).length === 0) continue;
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
          identityType: facts.identityType,
          invokedBy: facts.invokedBy,
          consoleLogin: facts.consoleLogin,
          mfaUsed: facts.mfaUsed,
          errorCode: facts.errorCode,
          errorMessage: facts.errorMessage,
          sourceIp: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      };
    }
    return loose.cursor();
  },
});

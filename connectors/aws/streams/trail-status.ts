import { z } from 'zod';
import { defineStream } from '../../../src/stream.js';
import { awsCall } from '../aws-errors.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { eventRegions, isoOrNull, snapshotRetention } from '../stream-common.js';
import { awsStreams } from '../manifest.js';

/** The DescribeTrails fields we rely on. */
const trailSchema = z.object({
  Name: z.string(),
  TrailARN: z.string(),
  HomeRegion: z.string(),
  IsMultiRegionTrail: z.boolean().default(false),
  IsOrganizationTrail: z.boolean().default(false),
  LogFileValidationEnabled: z.boolean().default(false),
  S3BucketName: z.string().optional(),
});

export const trailStatusSchema = z.object({
  account: z.string(),
  observedFor: z.string(),
  trailArn: z.string().nullable(),
  name: z.string().nullable(),
  homeRegion: z.string().nullable(),
  isLogging: z.boolean(),
  multiRegion: z.boolean(),
  organizationTrail: z.boolean(),
  logFileValidation: z.boolean(),
  bucket: z.string().nullable(),
  latestDeliveryTime: z.string().nullable(),
  latestDeliveryError: z.string().nullable(),
  startLoggingTime: z.string().nullable(),
  stopLoggingTime: z.string().nullable(),
});

export type TrailStatus = z.infer<typeof trailStatusSchema>;

export const trailStatusStream = defineStream<AwsClient, TrailStatus, AwsConfig>({
  ...awsStreams['aws-trail-status'],
  retention: () => snapshotRetention,
  itemSchema: trailStatusSchema,
  populationColumns: [
    { header: 'Hour (UTC)', value: (item) => item.payload.observedFor },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Trail', value: (item) => item.payload.trailArn },
    { header: 'Logging', value: (item) => item.payload.isLogging },
    { header: 'Multi-region', value: (item) => item.payload.multiRegion },
    { header: 'Log file validation', value: (item) => item.payload.logFileValidation },
    { header: 'Latest delivery', value: (item) => item.payload.latestDeliveryTime },
    { header: 'Delivery error', value: (item) => item.payload.latestDeliveryError },
  ],
  async *collect(window, _cursor, ctx) {
    // The SDK loads on first use, so the CLI's other commands start without it.
    const { DescribeTrailsCommand, GetTrailStatusCommand } = await import('@aws-sdk/client-cloudtrail');
    const observedFor = new Date(window.start).toISOString();
    for (const clients of ctx.client.accounts) {
      const account = clients.account.id;
      const trails = new Map<string, z.infer<typeof trailSchema>>();
      for (const region of eventRegions(clients.account)) {
        const listed = await awsCall(`cloudtrail DescribeTrails ${account} ${region}`, () =>
          clients
            .cloudtrail(region)
            .send(new DescribeTrailsCommand({ includeShadowTrails: false }), { abortSignal: ctx.signal }),
        );
        for (const trail of listed.trailList ?? []) {
          const parsed = trailSchema.parse(trail);
          trails.set(parsed.TrailARN, parsed);
        }
      }
      if (trails.size === 0) {
        yield {
          key: `${observedFor}/${account}/no-trail`,
          occurredAt: window.start,
          payload: {
            account,
            observedFor,
            trailArn: null,
            name: null,
            homeRegion: null,
            isLogging: false,
            multiRegion: false,
            organizationTrail: false,
            logFileValidation: false,
            bucket: null,
            latestDeliveryTime: null,
            latestDeliveryError: null,
            startLoggingTime: null,
            stopLoggingTime: null,
          },
        };
        continue;
      }
      for (const trail of [...trails.values()].sort((a, b) => (a.TrailARN < b.TrailARN ? -1 : 1))) {
        const status = await awsCall(`cloudtrail GetTrailStatus ${trail.TrailARN}`, () =>
          clients
            .cloudtrail(trail.HomeRegion)
            .send(new GetTrailStatusCommand({ Name: trail.TrailARN }), { abortSignal: ctx.signal }),
        );
        const isLogging = z.boolean({ error: 'expected GetTrailStatus.IsLogging' }).parse(status.IsLogging);
        yield {
          key: `${observedFor}/${account}/${trail.TrailARN}`,
          occurredAt: window.start,
          payload: {
            account,
            observedFor,
            trailArn: trail.TrailARN,
            name: trail.Name,
            homeRegion: trail.HomeRegion,
            isLogging,
            multiRegion: trail.IsMultiRegionTrail,
            organizationTrail: trail.IsOrganizationTrail,
            logFileValidation: trail.LogFileValidationEnabled,
            bucket: trail.S3BucketName ?? null,
            latestDeliveryTime: isoOrNull(status.LatestDeliveryTime),
            latestDeliveryError: status.LatestDeliveryError ?? null,
            startLoggingTime: isoOrNull(status.StartLoggingTime),
            stopLoggingTime: isoOrNull(status.StopLoggingTime),
          },
        };
      }
    }
  },
});

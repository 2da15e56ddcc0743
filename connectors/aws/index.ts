import { defineConnector } from '../../src/stream.js';
import { awsManifest } from './manifest.js';
import { describeAws } from './system-description.js';
import type { AwsClient } from './client.js';
import type { AwsConfig } from './config.js';
import { accessChangesStream } from './streams/access-changes.js';
import { cloudtrailDigestsStream } from './streams/cloudtrail-digests.js';
import { credentialReportStream } from './streams/credential-report.js';
import { iamStateStream } from './streams/iam-state.js';
import { identityCenterStateStream } from './streams/identity-center-state.js';
import { logSamplesStream } from './streams/log-samples.js';
import { securityEventsStream } from './streams/security-events.js';
import { trailStatusStream } from './streams/trail-status.js';

/** AWS: IAM state and credentials, CloudTrail access changes, log samples, security events, trail status, digests. */
export const awsConnector = defineConnector<AwsConfig, AwsClient>({
  ...awsManifest,
  // The AWS SDK loads only when a client is made: `streams`, `catalog` and `--help` never pay for it.
  createClient: async (config, env) => (await import('./client.js')).createAwsClient(config, env),
  systemDescription: describeAws,
  streams: [
    iamStateStream,
    identityCenterStateStream,
    credentialReportStream,
    accessChangesStream,
    logSamplesStream,
    securityEventsStream,
    trailStatusStream,
    cloudtrailDigestsStream,
  ],
});

export const connector = awsConnector;

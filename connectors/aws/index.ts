import { defineConnector } from '../../src/stream.js';
import { describeAws } from './system-description.js';
import { AWS_CREDENTIAL_CODES } from './aws-errors.js';
import type { AwsClient } from './client.js';
import { awsConfigSchema, type AwsConfig } from './config.js';
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
  id: 'aws',
  description: 'AWS IAM and CloudTrail, for one or several accounts',
  configSchema: awsConfigSchema,
  credentialErrorCodes: AWS_CREDENTIAL_CODES,
  // The SDK's default chain reads these; a role's session credentials too.
  secretEnvVars: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
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

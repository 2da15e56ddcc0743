import { defineConnector } from '../../src/stream.js';
import { AWS_CREDENTIAL_CODES } from './aws-errors.js';
import { createAwsClient, type AwsClient } from './client.js';
import { awsConfigSchema, type AwsConfig } from './config.js';
import { accessChangesStream } from './streams/access-changes.js';
import { credentialReportStream } from './streams/credential-report.js';
import { iamStateStream } from './streams/iam-state.js';
import { identityCenterStateStream } from './streams/identity-center-state.js';
import { logSamplesStream } from './streams/log-samples.js';
import { securityEventsStream } from './streams/security-events.js';
import { trailStatusStream } from './streams/trail-status.js';

/** AWS: IAM state and credentials, CloudTrail access changes, log samples, security events, trail status. */
export const awsConnector = defineConnector<AwsConfig, AwsClient>({
  id: 'aws',
  description: 'AWS IAM and CloudTrail, for one or several accounts',
  configSchema: awsConfigSchema,
  credentialErrorCodes: AWS_CREDENTIAL_CODES,
  // The SDK's default chain reads these; a role's session credentials too.
  secretEnvVars: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  createClient: (config, env) => createAwsClient(config, env),
  streams: [
    iamStateStream,
    identityCenterStateStream,
    credentialReportStream,
    accessChangesStream,
    logSamplesStream,
    securityEventsStream,
    trailStatusStream,
  ],
});

export const connector = awsConnector;

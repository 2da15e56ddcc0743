import { defineManifest, type StreamMetadata } from '../../src/stream.js';
import { AWS_CREDENTIAL_CODES } from './aws-errors.js';
import { awsConfigSchema, type AwsConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const awsStreams = {
  'aws-iam-state': {
    id: 'aws-iam-state',
    description:
      'Daily observation of every IAM user, group, role and policy, diffed against the previous day',
    kind: 'snapshot',
    population:
      'Every IAM user, group, role and customer managed policy on each day, and every joiner, leaver, mover and privilege change between consecutive days',
    evidenceName: 'AWS_IAM_State',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.15', 'A.5.18', 'A.8.2'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0m',
  },
  'aws-identity-center-state': {
    id: 'aws-identity-center-state',
    description:
      'Daily observation of IAM Identity Center users, groups, memberships, permission sets and account assignments, diffed against the previous day',
    kind: 'snapshot',
    population:
      'Every IAM Identity Center user (with email), group, membership, permission set and account assignment on each day, and every joiner, leaver and access change between consecutive days',
    evidenceName: 'AWS_Identity_Center_State',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.16', 'A.5.18', 'A.8.2'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0m',
  },
  'aws-credential-report': {
    id: 'aws-credential-report',
    description: 'Daily IAM credential report: MFA, password and access key age and use for every user',
    kind: 'snapshot',
    population:
      'Every IAM user and the root user on each day, with MFA, password use and access key age and use',
    evidenceName: 'AWS_Credential_Report',
    criteria: ['CC6.1'],
    isoControls: ['A.5.17', 'A.8.5'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0m',
  },
  'aws-cloudtrail-access-changes': {
    id: 'aws-cloudtrail-access-changes',
    description: 'Every IAM, IAM Identity Center and Identity Store write event recorded by CloudTrail',
    kind: 'events',
    population:
      'Every call that created, changed or removed an AWS identity, credential, group membership, policy, role, permission set or account assignment, successful or not',
    evidenceName: 'AWS_Access_Changes',
    criteria: ['CC6.2', 'CC6.3'],
    isoControls: ['A.5.18', 'A.8.2'],
    cadence: '1h',
    silenceThreshold: '30d',
    sourceLag: '20m',
  },
  'aws-cloudtrail-log-samples': {
    id: 'aws-cloudtrail-log-samples',
    description: 'Per hour and region: the number of CloudTrail management events and a deterministic sample',
    kind: 'events',
    population:
      'Every hour of the period in every region: how many management events CloudTrail recorded, with a bounded sample; an hour with none is listed with count 0',
    evidenceName: 'CloudTrail_Log_Samples',
    criteria: ['CC7.2'],
    isoControls: ['A.8.15'],
    cadence: '1h',
    silenceThreshold: '3h',
    sourceLag: '20m',
  },
  'aws-cloudtrail-security-events': {
    id: 'aws-cloudtrail-security-events',
    description:
      'Root use, failed and MFA-less console sign-ins, trail tampering and MFA removal from CloudTrail',
    kind: 'events',
    population:
      'Every use of the root user, failed console sign-in, console sign-in without MFA, StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors and MFA deactivation, including failed attempts',
    evidenceName: 'CloudTrail_Security_Events',
    criteria: ['CC7.2', 'CC7.3'],
    isoControls: ['A.8.15', 'A.8.16'],
    cadence: '1h',
    silenceThreshold: '365d',
    sourceLag: '20m',
  },
  'aws-trail-status': {
    id: 'aws-trail-status',
    description: 'Hourly status of every CloudTrail trail: logging, delivery, validation, scope',
    kind: 'snapshot',
    population:
      'Every CloudTrail trail of every account each hour: logging on or off, latest delivery and error, log file validation, multi-region and organisation scope',
    evidenceName: 'CloudTrail_Trail_Status',
    criteria: ['CC7.2'],
    isoControls: ['A.8.15'],
    cadence: '1h',
    silenceThreshold: '3h',
    sourceLag: '0m',
  },
  'aws-cloudtrail-digests': {
    id: 'aws-cloudtrail-digests',
    description:
      "CloudTrail's digest files: each digest's RSA signature, its link to the previous digest and the SHA-256 of every log file it lists, checked against the bucket",
    kind: 'events',
    population:
      'Every CloudTrail digest file that starts in the period, in every region: its signature check against the key CloudTrail publishes, its chain link, and each listed log file as found in the bucket; and per hour, the log files the bucket holds',
    evidenceName: 'CloudTrail_Digests',
    criteria: ['CC7.2'],
    isoControls: ['A.8.15'],
    cadence: '1h',
    silenceThreshold: '3h',
    // The digest of an hour ends about an hour after it starts and is delivered minutes later.
    sourceLag: '135m',
  },
} satisfies Record<string, StreamMetadata>;

/** AWS: IAM state and credentials, CloudTrail access changes, log samples, security events, trail status, digests. */
export const awsManifest = defineManifest<AwsConfig>({
  id: 'aws',
  description: 'AWS IAM and CloudTrail, for one or several accounts',
  configSchema: awsConfigSchema,
  credentialErrorCodes: AWS_CREDENTIAL_CODES,
  // The SDK's default chain reads these; a role's session credentials too.
  secretEnvVars: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  streams: Object.values(awsStreams),
});

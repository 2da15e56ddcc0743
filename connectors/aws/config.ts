import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';

const endpoint = z.string().url('expected an endpoint URL like "http://127.0.0.1:4599"');

/** Where an account's CloudTrail management events are read from. */
export const cloudtrailSourceSchema = z.discriminatedUnion(
  'source',
  [
    z.object({ source: z.literal('lookup') }).strict(),
    z
      .object({
        source: z.literal('s3'),
        bucket: z.string().min(1, 'expected the trail bucket name'),
        prefix: z.string().default(''),
        /** Set for an organisation trail, which writes under AWSLogs/<organisation id>/<account>/. */
        organizationId: z
          .string()
          .regex(/^o-[a-z0-9]{10,32}$/, 'expected an AWS Organizations id like "o-a1b2c3d4e5"')
          .optional(),
        /** Region of the bucket; defaults to the account's first region. */
        region: z.string().optional(),
        /** How long the bucket keeps trail files (lifecycle rule); unset means forever. */
        retentionDays: z.number().int().positive().optional(),
        /** Trail files are delivered up to ~15 minutes late; files named later than this after a window are not read. */
        lateDeliveryMinutes: z.number().int().positive().default(60),
      })
      .strict(),
    z
      .object({
        source: z.literal('dir'),
        path: z.string().min(1, 'expected a directory path'),
        /** Set for an organisation trail, which writes under AWSLogs/<organisation id>/<account>/. */
        organizationId: z
          .string()
          .regex(/^o-[a-z0-9]{10,32}$/, 'expected an AWS Organizations id like "o-a1b2c3d4e5"')
          .optional(),
        retentionDays: z.number().int().positive().optional(),
        lateDeliveryMinutes: z.number().int().positive().default(60),
      })
      .strict(),
  ],
  { error: () => 'expected cloudtrail.source to be "lookup", "s3" or "dir"' },
);

export const accountSchema = z
  .object({
    id: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id (quote it in YAML)'),
    roleArn: z
      .string()
      .regex(
        /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/,
        'expected a role ARN like arn:aws:iam::123456789012:role/name',
      )
      .optional(),
    externalId: z.string().optional(),
    regions: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected a region like "eu-west-1"'))
      .min(1),
    cloudtrail: cloudtrailSourceSchema.default({ source: 'lookup' }),
    /** IAM Identity Center read from this account (the organisation's management or delegated admin account). */
    identityCenter: z
      .object({
        /** Defaults to the one instance ListInstances returns. */
        instanceArn: z
          .string()
          .regex(
            /^arn:aws[\w-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
            'expected an instance ARN like arn:aws:sso:::instance/ssoins-1234567890abcdef',
          )
          .optional(),
        identityStoreId: z
          .string()
          .regex(/^d-[0-9a-f]{10}$/, 'expected an identity store id like d-1234567890')
          .optional(),
        /** The region Identity Center is enabled in; defaults to the account's first region. */
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected a region like "eu-west-1"')
          .optional(),
      })
      .strict()
      .optional(),
    endpoints: z
      .object({
        iam: endpoint,
        cloudtrail: endpoint,
        s3: endpoint,
        sts: endpoint,
        identitystore: endpoint,
        ssoAdmin: endpoint,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

export const awsConfigSchema = z
  .object({
    accounts: z.array(accountSchema).min(1, 'expected at least one account'),
    // Judgements moved to the iam-credentials check: say where, rather than "unrecognized key".
    accessKeyAgeDays: z
      .never({ error: 'moved to checks.iam-credentials.accessKeyAgeDays (a check policy since 0.2)' })
      .optional(),
    unusedCredentialDays: z
      .never({ error: 'moved to checks.iam-credentials.unusedCredentialDays (a check policy since 0.2)' })
      .optional(),
    /** Per-request timeout; the SDK retries timeouts with backoff. */
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** SDK attempts per request (adaptive retry mode) before the window fails as retriable. */
    maxAttempts: z.number().int().min(1).max(20).default(6),
    /** First wait between credential report polls (doubles per poll, at most 5 s); a sandbox answers at once. */
    credentialReportPollMs: z.number().int().min(0).max(5_000).default(250),
    /** Events kept per hour and region in the log samples. */
    sampleSize: z.number().int().min(1).max(100).default(10),
    ...queueSettingsShape,
  })
  .strict();

export type AwsConfig = z.infer<typeof awsConfigSchema>;
export type AwsAccount = z.infer<typeof accountSchema>;
export type CloudtrailSource = z.infer<typeof cloudtrailSourceSchema>;

/** IAM, STS and sign-in events are global and recorded in us-east-1. */
export const GLOBAL_REGION = 'us-east-1';

import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';

const DAY = 86_400_000;
const ACCOUNT = '123456789012';

export const AWS_STREAMS = [
  'aws-iam-state',
  'aws-credential-report',
  'aws-cloudtrail-access-changes',
  'aws-cloudtrail-log-samples',
  'aws-cloudtrail-security-events',
  'aws-trail-status',
] as const;

export interface AwsWorld {
  readonly sandbox: AwsSandbox;
  readonly from: string;
  readonly to: string;
  /** The `aws:` connector section, YAML indented by two spaces (for ConfigOptions.connectors). */
  readonly connectors: string;
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The AWS sandbox (IAM, STS, CloudTrail LookupEvents with its 2 requests/s limit) with a frozen clock, and a
 * backfill period of `days` ending yesterday. CloudTrail windows are hourly and LookupEvents is slow by
 * design, so the period is kept to a day or two.
 */
export async function startAwsWorld(seed: number, days: number): Promise<AwsWorld> {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const sandbox = await startAwsSandbox({ seed, now: today + 60_000, days: days + 7, accountId: ACCOUNT });
  const connectors = `  aws:
    accounts:
      - id: '${ACCOUNT}'
        regions: [us-east-1]
        cloudtrail: { source: lookup }
        endpoints: { iam: '${sandbox.url}', cloudtrail: '${sandbox.url}', s3: '${sandbox.url}', sts: '${sandbox.url}' }
    requestTimeoutMs: 2000
    maxAttempts: 6
    concurrency: 2
`;
  return {
    sandbox,
    from: day(today - days * DAY),
    to: day(today - DAY),
    connectors,
    env: { AWS_ACCESS_KEY_ID: 'AKIADRILLDRILLDRILL0', AWS_SECRET_ACCESS_KEY: 'drill-secret-not-real' },
    stop: () => sandbox.stop(),
  };
}

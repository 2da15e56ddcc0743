/**
 * The same LookupEvents population fetched two ways against the AWS sandbox (which enforces 2 requests per
 * second with ThrottlingException): our connector's paced reader, and the AWS CLI
 * (`aws cloudtrail lookup-events --endpoint-url ...`), which paginates on its own and backs off on
 * throttling. Prints one JSON line: both wall times, both beside the 2 requests/second bound, and the
 * ratio. Installs awscli from Debian's packages when no `aws` is on the PATH.
 * Usage: npx tsx bench/awscli-lookup.ts [days=25]
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createAwsClient } from '../connectors/aws/client.js';
import { awsConfigSchema } from '../connectors/aws/config.js';
import { lookupRecords } from '../connectors/aws/lookup-events.js';
import { LocalLimiter } from '../src/limiter.js';
import { startAwsSandbox } from '../src/sandbox/aws/index.js';
import { DAY, HOUR } from '../src/time.js';

const days = Number(process.argv[2] ?? 25);
const REGION = 'us-east-1';
const env = {
  AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: REGION,
};

function ensureAwsCli(): string {
  const found = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli'],
    { stdio: 'ignore' },
  );
  return 'aws';
}

const aws = ensureAwsCli();
const now = Math.floor(Date.now() / HOUR) * HOUR;
const sandbox = await startAwsSandbox({ seed: 11, now, days: 30 });
const window = { start: now - (days + 1) * DAY, end: now - DAY };

// Ours: the connector's reader, paced by the same limiter the workers share through Redis.
const config = awsConfigSchema.parse({
  accounts: [
    {
      id: sandbox.groundTruth.accountId,
      regions: [REGION],
      cloudtrail: { source: 'lookup' },
      endpoints: { cloudtrail: sandbox.url, iam: sandbox.url, s3: sandbox.url, sts: sandbox.url },
    },
  ],
});
const client = await createAwsClient(config, env);
const cloudtrail = client.accounts[0]!.cloudtrail(REGION);
const limiter = new LocalLimiter();
const requestsBefore = sandbox.requests.cloudtrail;
const oursStart = performance.now();
let oursEvents = 0;
for await (const page of lookupRecords(
  cloudtrail,
  sandbox.groundTruth.accountId,
  REGION,
  window,
  (key, rate) => limiter.acquire(key, rate),
  new AbortController().signal,
)) {
  oursEvents += page.filter((record) => record.raw).length;
}
const oursSeconds = (performance.now() - oursStart) / 1000;
const oursRequests = sandbox.requests.cloudtrail - requestsBefore;

// The AWS CLI on the same window.
const cliStart = performance.now();
// Asynchronously: the sandbox answering the CLI runs in this very process.
const cli = await promisify(execFile)(
  aws,
  [
    'cloudtrail',
    'lookup-events',
    '--endpoint-url',
    sandbox.url,
    '--region',
    REGION,
    '--start-time',
    new Date(window.start).toISOString(),
    '--end-time',
    new Date(window.end).toISOString(),
    '--output',
    'json',
  ],
  {
    encoding: 'utf8',
    env: { ...process.env, ...env, AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '20' },
    maxBuffer: 512 * 1024 * 1024,
  },
);
const cliSeconds = (performance.now() - cliStart) / 1000;
await sandbox.stop();
const cliEvents = (JSON.parse(cli.stdout) as { Events: unknown[] }).Events.length;
const pages = Math.max(1, Math.ceil(oursEvents / 50));
const bound = pages / 2;

console.log(
  JSON.stringify({
    figure: 'lookup_events_backfill_vs_aws_cli',
    window_days: days,
    events: { ours: oursEvents, aws_cli: cliEvents },
    requests_ours: oursRequests,
    seconds: { ours: Number(oursSeconds.toFixed(2)), aws_cli: Number(cliSeconds.toFixed(2)) },
    over_rate_limit_bound: {
      bound_seconds: bound,
      ours: Number((oursSeconds / bound).toFixed(3)),
      aws_cli: Number((cliSeconds / bound).toFixed(3)),
    },
    ratio_aws_cli_over_ours: Number((cliSeconds / oursSeconds).toFixed(3)),
    same_population: oursEvents === cliEvents,
  }),
);
process.exit(0);

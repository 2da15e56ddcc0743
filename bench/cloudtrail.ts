/**
 * CloudTrail figures, each printed as one JSON line beside baselines measured in the same run:
 * 1. trail-file ingestion into the store (events read per second) for aws-cloudtrail-access-changes over a
 *    trail whose events are mostly not access changes (`accessShare`, default 5 %: a busy account's trail
 *    is mostly Describe/Get/List calls and AssumeRole), beside the worst case where every event is an
 *    access change and becomes a stored item, the same reading without the store, a bare bulk insert, and
 *    the two other streams that read every trail file (security events, log samples) over the same trail;
 * 2. peak RSS while ingesting the worst case (default 1,000,000 events, every one stored);
 * 3. LookupEvents backfill wall time over the 2 requests/second bound, against the sandbox.
 * Event IDs are random UUIDs, as CloudTrail's are (sequential ones would flatter the key index).
 * Usage: npx tsx bench/cloudtrail.ts [events=1000000] [lookupPages=30] [accessShare=0.05]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { createAwsClient } from '../connectors/aws/client.js';
import { awsConfigSchema } from '../connectors/aws/config.js';
import { awsConnector } from '../connectors/aws/index.js';
import { accessChangesStream } from '../connectors/aws/streams/access-changes.js';
import { logSamplesStream } from '../connectors/aws/streams/log-samples.js';
import { securityEventsStream } from '../connectors/aws/streams/security-events.js';
import { LocalLimiter } from '../src/limiter.js';
import type { StreamInstance } from '../src/registry.js';
import { CollectionRunner } from '../src/collection/runner.js';
import { startAwsSandbox } from '../src/sandbox/aws/index.js';
import { seededRandom } from '../src/sandbox/seeded-random.js';
import { EvidenceRepository, prepareItem } from '../src/store/evidence-repository.js';
import { openStore } from '../src/store/open-store.js';
import type { StreamDefinition } from '../src/stream.js';
import { DAY, HOUR, parseDuration } from '../src/time.js';
import { freshStoreUrl } from '../test/support/stores.js';

const total = Number(process.argv[2] ?? 1_000_000);
const lookupPages = Number(process.argv[3] ?? 30);
const ACCOUNT = '123456789012';
const env = { AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0', AWS_SECRET_ACCESS_KEY: 'bench' };
const print = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure));

// --- trail files: `total` management events over whole days, one gzip file per hour ---
const accessShare = Number(process.argv[4] ?? 0.05);
const days = Math.max(1, Math.ceil(total / 100_000));
const start = Date.UTC(2026, 0, 1);
const perHour = Math.ceil(total / (days * 24));

const ACCESS_CHANGES = [
  ['iam.amazonaws.com', 'AttachUserPolicy'],
  ['iam.amazonaws.com', 'AddUserToGroup'],
  ['iam.amazonaws.com', 'CreateAccessKey'],
  ['sso.amazonaws.com', 'CreateAccountAssignment'],
] as const;
const OTHER_EVENTS = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['s3.amazonaws.com', 'ListBuckets'],
  ['lambda.amazonaws.com', 'ListFunctions20150331'],
  ['ec2.amazonaws.com', 'RunInstances'],
  ['iam.amazonaws.com', 'GetRole'],
] as const;

/** Writes a trail in the standard layout and returns its folder. */
function writeTrail(share: number, seed: number): string {
  const next = seededRandom(seed); // the same trail on every run
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(next() * 16).toString(16)).join('');
  const folderRoot = mkdtempSync(path.join(tmpdir(), 'ew-bench-trail-'));
  let written = 0;
  for (let hour = 0; hour < days * 24 && written < total; hour += 1) {
    const at = start + hour * HOUR;
    const records = [];
    for (let n = 0; n < perHour && written < total; n += 1, written += 1) {
      const [eventSource, eventName] =
        next() < share ? ACCESS_CHANGES[n % ACCESS_CHANGES.length]! : OTHER_EVENTS[n % OTHER_EVENTS.length]!;
      records.push({
        eventVersion: '1.09',
        eventID: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
        eventTime: new Date(at + Math.floor((n / perHour) * HOUR)).toISOString(),
        eventName,
        eventSource,
        awsRegion: 'us-east-1',
        recipientAccountId: ACCOUNT,
        userIdentity: {
          type: 'IAMUser',
          arn: `arn:aws:iam::${ACCOUNT}:user/admin${n % 7}`,
          userName: `admin${n % 7}`,
        },
        requestParameters: { userName: `user${n % 500}`, groupName: 'developers' },
        responseElements: null,
        sourceIPAddress: '203.0.113.7',
        userAgent: 'aws-cli/2.15.0',
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
      });
    }
    const delivered = new Date(at + HOUR + 5 * 60_000);
    const folder = path.join(
      folderRoot,
      `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${delivered.toISOString().slice(0, 10).replace(/-/g, '/')}`,
    );
    mkdirSync(folder, { recursive: true });
    const stamp = delivered.toISOString().replace(/[-:]/g, '').slice(0, 13);
    writeFileSync(
      path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_${stamp}Z_${hour}.json.gz`),
      gzipSync(JSON.stringify({ Records: records }), { level: 1 }),
    );
  }
  return folderRoot;
}

const worstCaseDir = writeTrail(1, 1);
const realisticDir = writeTrail(accessShare, 2);

const accessChanges = accessChangesStream as unknown as StreamDefinition;
const windows = Array.from({ length: days }, (_, d) => ({
  start: start + d * DAY,
  end: start + (d + 1) * DAY,
}));

/** The access-changes stream reading one trail folder, as the service would configure it. */
function trailReader(dir: string, definition: StreamDefinition = accessChanges) {
  const config = awsConfigSchema.parse({
    accounts: [{ id: ACCOUNT, regions: ['us-east-1'], cloudtrail: { source: 'dir', path: dir } }],
  });
  const client = createAwsClient(config, env);
  const stream: StreamInstance = {
    id: definition.id,
    connector: awsConnector as never,
    connectorConfig: config,
    definition,
    cadenceMs: DAY,
    silenceThresholdMs: parseDuration(definition.silenceThreshold),
    silenceThresholdConfigured: false,
    sourceLagMs: 0,
    retention: definition.retention(config),
    criteria: definition.criteria,
    isoControls: definition.isoControls,
  };
  const ctx = {
    client,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    acquire: async () => {},
    reject: async () => {},
  };
  return { client, stream, ctx };
}

/** The runner reading every window of a trail folder into a fresh SQLite store. */
async function ingest(
  dir: string,
  definition: StreamDefinition = accessChanges,
): Promise<{ seconds: number; stored: number }> {
  const { client, stream } = trailReader(dir, definition);
  const store = await openStore(freshStoreUrl('sqlite'));
  const runner = new CollectionRunner({
    store,
    logger: pino({ level: 'silent' }),
    clock: () => start + days * DAY + HOUR,
    limiter: new LocalLimiter(),
    clients: async () => client,
  });
  const began = performance.now();
  let stored = 0;
  for (const window of windows) {
    const outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
    if (outcome.status !== 'succeeded') throw new Error(`window failed: ${outcome.error?.message}`);
    stored += outcome.counts.new;
  }
  const seconds = (performance.now() - began) / 1000;
  await store.close();
  return { seconds, stored };
}

/** Reading and validating a trail folder without the store; keeps up to `keep` items for baseline B. */
async function readOnly(dir: string, keep: unknown[] = []): Promise<number> {
  const { ctx } = trailReader(dir);
  const began = performance.now();
  for (const window of windows) {
    for await (const item of accessChangesStream.collect(window, undefined, ctx)) {
      if (keep.length < 100_000) keep.push(item);
    }
  }
  return total / ((performance.now() - began) / 1000);
}

// The worst case first, so memory the baselines hold cannot blur its peak: every event is stored.
const rssBefore = process.memoryUsage.rss();
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const worstCase = await ingest(worstCaseDir);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());

const realistic = await ingest(realisticDir);
// The two other streams that read every trail file, over the same realistic trail.
const securityEvents = await ingest(realisticDir, securityEventsStream as unknown as StreamDefinition);
const logSamples = await ingest(realisticDir, logSamplesStream as unknown as StreamDefinition);

// Baseline A: read and validate the same files without the store.
const sampleItems: unknown[] = [];
const parseRealistic = await readOnly(realisticDir);
const parseWorstCase = await readOnly(worstCaseDir, sampleItems);

// Baseline B: a bare bulk insert of prepared items into the same kind of store.
const bareStore = await openStore(freshStoreUrl('sqlite'));
const prepared = sampleItems.map((item) => prepareItem(item as Parameters<typeof prepareItem>[0]));
let t = performance.now();
const repository = new EvidenceRepository(bareStore);
for (let i = 0; i < prepared.length; i += 1_000) {
  await repository.write(
    {
      stream: accessChanges.id,
      runId: 'bench',
      collectedAt: Date.now(),
      criteria: accessChanges.criteria,
      isoControls: accessChanges.isoControls,
    },
    prepared.slice(i, i + 1_000),
  );
}
const bareRate = prepared.length / ((performance.now() - t) / 1000);
await bareStore.close();
rmSync(worstCaseDir, { recursive: true, force: true });
rmSync(realisticDir, { recursive: true, force: true });

print({
  figure: 'trail_file_ingestion_events_per_second',
  value: Math.round(total / realistic.seconds),
  unit: 'events/s',
  events: total,
  access_changes_stored: realistic.stored,
  access_share: accessShare,
  target: '>= 50000',
  baseline: {
    read_and_validate_without_store: Math.round(parseRealistic),
    worst_case_every_event_stored: Math.round(total / worstCase.seconds),
    worst_case_read_and_validate_without_store: Math.round(parseWorstCase),
    worst_case_bare_bulk_insert_of_prepared_items: Math.round(bareRate),
  },
  same_trail_other_streams: {
    'aws-cloudtrail-security-events': Math.round(total / securityEvents.seconds),
    'aws-cloudtrail-log-samples': Math.round(total / logSamples.seconds),
  },
});
print({
  figure: 'peak_rss_while_ingesting',
  value: Math.round(peak / 2 ** 20),
  unit: 'MB',
  events: worstCase.stored,
  target: '<= 300',
  baseline: { rss_before_ingestion: Math.round(rssBefore / 2 ** 20) },
});

// --- LookupEvents backfill against the sandbox's 2 requests/second limit ---
const now = Date.UTC(2026, 5, 1);
const sandbox = await startAwsSandbox({ seed: 5, now, days: 30 });
const endpoints = { iam: sandbox.url, cloudtrail: sandbox.url, s3: sandbox.url, sts: sandbox.url };
const lookupConfig = awsConfigSchema.parse({
  accounts: [{ id: ACCOUNT, regions: ['us-east-1'], cloudtrail: { source: 'lookup' }, endpoints }],
});
const lookupClient = createAwsClient(lookupConfig, env);
// Hourly windows going back from now until the requested number of pages is reached.
const limiter = new LocalLimiter();
const lookupCtx = {
  client: lookupClient,
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
  acquire: (key: string, rate: number) => limiter.acquire(key, rate),
  reject: async () => {},
};
const before = sandbox.requests.cloudtrail;
t = performance.now();
let hour = Math.floor(now / HOUR) * HOUR - HOUR;
let items = 0;
while (sandbox.requests.cloudtrail - before < lookupPages) {
  for await (const _ of accessChangesStream.collect({ start: hour, end: hour + HOUR }, undefined, lookupCtx))
    items += 1;
  hour -= HOUR;
}
const wall = (performance.now() - t) / 1000;
const requests = sandbox.requests.cloudtrail - before;
const bound = (requests - 1) / 2; // n requests spaced 500 ms apart need (n - 1) / 2 seconds
print({
  figure: 'lookup_backfill_wall_over_rate_bound',
  value: Number((wall / bound).toFixed(3)),
  requests,
  wall_seconds: Number(wall.toFixed(2)),
  target: '<= 1.1',
  baseline: { rate_bound_seconds: bound },
  throttled: sandbox.lookupThrottled(),
  items,
});
await sandbox.stop();

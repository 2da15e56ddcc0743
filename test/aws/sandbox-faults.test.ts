import { afterAll, beforeAll, expect, test } from 'vitest';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { iamStateStream } from '../../connectors/aws/streams/iam-state.js';
import { trailStatusStream } from '../../connectors/aws/streams/trail-status.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import { DAY, HOUR } from '../../src/time.js';
import { awsClient, awsSection, collectAll } from './support.js';
import { trailConfiguration } from '../../checks/trail-configuration.js';
import { codesByKey } from '../support/memory-facts.js';

const NOW = Date.UTC(2026, 4, 5, 10);
let sandbox: AwsSandbox;
beforeAll(async () => {
  // One IAM entry a page: enough requests for the injected faults to land on (the company's account is small).
  sandbox = await startAwsSandbox({ seed: 3, now: NOW, days: 60, iamPageSize: 1 });
});
afterAll(() => sandbox?.stop());

const day = { start: Math.floor(NOW / DAY) * DAY - DAY, end: Math.floor(NOW / DAY) * DAY };
const section = (extra: Record<string, unknown> = {}) =>
  awsSection({
    url: sandbox.url,
    regions: ['us-east-1'],
    extra: { requestTimeoutMs: 400, maxAttempts: 10, ...extra },
  });

test('5xx, throttling, timeouts and truncated bodies are retried to the same evidence', async () => {
  sandbox.faults.reset();
  const clean = await collectAll(iamStateStream, day, awsClient(section()));
  const cleanChanges = await collectAll(
    accessChangesStream,
    { start: day.start - 9 * DAY, end: day.end },
    awsClient(section()),
  );
  Object.assign(sandbox.faults, {
    serverErrorRate: 0.1,
    throttleRate: 0.05,
    timeoutRate: 0.05,
    timeoutMs: 1_000,
    truncateRate: 0.1,
  });
  const faulty = await collectAll(iamStateStream, day, awsClient(section()));
  const faultyChanges = await collectAll(
    accessChangesStream,
    { start: day.start - 9 * DAY, end: day.end },
    awsClient(section()),
  );
  const injected = { ...sandbox.faults.injected };
  sandbox.faults.reset();
  expect(faulty.items).toEqual(clean.items);
  expect(faultyChanges.items).toEqual(cleanChanges.items);
  // The company's last ten days hold a few IAM writes (policy changes, a joiner or leaver).
  expect(cleanChanges.items.length).toBeGreaterThan(3);
  expect(injected.serverError + injected.throttle + injected.timeout + injected.truncate).toBeGreaterThan(3);
}, 120_000);

test('revoked credentials are fatal with the code AWS names', async () => {
  sandbox.faults.revokedCredentials = true;
  try {
    for (const [stream, code] of [
      [iamStateStream, 'AWS_INVALID_CLIENT_TOKEN_ID'],
      [trailStatusStream, 'AWS_UNRECOGNIZED_CLIENT'],
    ] as const) {
      const error = await collectAll(
        stream as never,
        { start: NOW - 2 * HOUR, end: NOW - HOUR },
        awsClient(section()),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, retry: 'fatal' });
    }
  } finally {
    sandbox.faults.reset();
  }
});

test('a per-account role is assumed through STS with its external id', async () => {
  const roleArn = 'arn:aws:iam::123456789012:role/evidence-reader';
  const client = awsClient(awsSection({ url: sandbox.url, account: { roleArn, externalId: 'audit-2026' } }));
  const { items } = await collectAll(trailStatusStream, { start: NOW - 2 * HOUR, end: NOW - HOUR }, client);
  expect(items.length).toBe(1);
  expect(sandbox.assumedRoles).toContainEqual({ roleArn, externalId: 'audit-2026' });
});

test('trail status follows the outage: logging off while stopped', async () => {
  const { outage } = sandbox.groundTruth;
  sandbox.setNow(outage.start + HOUR);
  try {
    const { items } = await collectAll(
      trailStatusStream,
      { start: outage.start - 7 * 60_000, end: outage.start + 53 * 60_000 },
      awsClient(section()),
    );
    expect(items[0]?.payload.isLogging).toBe(false);
    const codes = await codesByKey(trailConfiguration, trailStatusStream.id, items);
    expect(codes.get(items[0]!.key)).toContain('LOGGING_OFF');
  } finally {
    sandbox.setNow(NOW);
  }
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { securityEventsStream } from '../../connectors/aws/streams/security-events.js';
import { RedisLimiter } from '../../src/limiter.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import { HOUR } from '../../src/time.js';
import { freshRedisPrefix, REDIS_URL } from '../support/stores.js';
import { awsClient, awsSection, collectAll } from './support.js';

const NOW = Date.UTC(2026, 6, 1, 12);
let sandbox: AwsSandbox;
let redis: Redis;
beforeAll(async () => {
  sandbox = await startAwsSandbox({ seed: 9, now: NOW, days: 10 });
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await sandbox?.stop();
  redis?.disconnect();
});

test('two workers sharing the Redis limiter stay within 2 LookupEvents requests per second', async () => {
  const prefix = freshRedisPrefix();
  // Each "worker" has its own client and its own limiter object; only Redis is shared.
  const section = awsSection({ url: sandbox.url, regions: ['us-east-1'] });
  const windows = [0, 1, 2, 3].map((n) => ({ start: NOW - (n + 2) * HOUR, end: NOW - (n + 1) * HOUR }));
  const before = sandbox.requests.cloudtrail;
  const started = performance.now();
  await Promise.all([
    (async () => {
      for (const window of windows)
        await collectAll(
          accessChangesStream,
          window,
          awsClient(section),
          undefined,
          new RedisLimiter(redis, prefix),
        );
    })(),
    (async () => {
      for (const window of windows)
        await collectAll(
          securityEventsStream,
          window,
          awsClient(section),
          undefined,
          new RedisLimiter(redis, prefix),
        );
    })(),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const requests = sandbox.requests.cloudtrail - before;
  expect(requests).toBe(8);
  expect(sandbox.lookupThrottled()).toBe(0);
  // Eight requests spaced 500 ms apart take at least 3.5 s whichever worker sends them.
  expect(seconds).toBeGreaterThanOrEqual(3.4);
});

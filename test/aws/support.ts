import { pino } from 'pino';
import { createAwsClient, type AwsClient } from '../../connectors/aws/client.js';
import { awsConfigSchema } from '../../connectors/aws/config.js';
import { LocalLimiter, type Limiter } from '../../src/limiter.js';
import type { CollectedItem, Cursor, StreamContext, StreamDefinition } from '../../src/stream.js';
import type { Window } from '../../src/time.js';

export const TEST_ENV = { AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'test-secret' };
export const ACCOUNT = '123456789012';

/** A connector section for one account; `cloudtrail` and endpoints as given. */
export function awsSection(options: {
  url?: string;
  cloudtrail?: Record<string, unknown>;
  regions?: string[];
  extra?: Record<string, unknown>;
  account?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    accounts: [
      {
        id: ACCOUNT,
        regions: options.regions ?? ['us-east-1', 'eu-west-1'],
        cloudtrail: options.cloudtrail ?? { source: 'lookup' },
        ...(options.url
          ? { endpoints: { iam: options.url, cloudtrail: options.url, s3: options.url, sts: options.url } }
          : {}),
        ...options.account,
      },
    ],
    requestTimeoutMs: 2_000,
    maxAttempts: 4,
    ...options.extra,
  };
}

export function awsClient(section: Record<string, unknown>): AwsClient {
  return createAwsClient(awsConfigSchema.parse(section), TEST_ENV);
}

export function context(client: AwsClient, limiter: Limiter = new LocalLimiter()): StreamContext<AwsClient> {
  return {
    client,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    acquire: (key, perSecond) => limiter.acquire(key, perSecond),
    reject: async () => {},
  };
}

/** Runs a stream's collect over a window and returns what it yielded and the cursor it handed back. */
export async function collectAll<T>(
  stream: StreamDefinition<AwsClient, T, never> | StreamDefinition<AwsClient, T, unknown>,
  window: Window,
  client: AwsClient,
  cursor?: Cursor,
  limiter?: Limiter,
): Promise<{ items: CollectedItem<T>[]; cursor: Cursor | undefined }> {
  const generator = (stream as StreamDefinition<AwsClient, T, unknown>).collect(
    window,
    cursor,
    context(client, limiter),
  );
  const items: CollectedItem<T>[] = [];
  let next = await generator.next();
  while (!next.done) {
    items.push(next.value);
    next = await generator.next();
  }
  return { items, cursor: next.value ?? undefined };
}

import { readFileSync } from 'node:fs';
import { LinearClient } from '@linear/sdk';
import type { z } from 'zod';
import { UsageError } from '../../src/errors.js';
import { registerSecret } from '../../src/secrets.js';
import type { LinearConfig } from './config.js';
import { toLinearError } from './errors.js';

export interface LinearTuning {
  readonly retryBaseMs?: number;
  readonly retries?: number;
  readonly timeoutMs?: number;
}

/** What the Linear stream reads through: GraphQL over the SDK's transport, validated, errors mapped. */
export interface LinearApi {
  readonly config: LinearConfig;
  query<T>(query: string, variables: Record<string, unknown>, schema: z.ZodType<T>, what: string): Promise<T>;
}

function credentials(
  config: LinearConfig,
  env: NodeJS.ProcessEnv,
): { apiKey: string } | { accessToken: string } {
  const oauth = env.LINEAR_OAUTH_TOKEN?.trim();
  if (oauth) {
    registerSecret(oauth);
    return { accessToken: oauth };
  }
  let apiKey = env.LINEAR_API_KEY?.trim();
  if (config.apiKeyFile) {
    try {
      apiKey = readFileSync(config.apiKeyFile, 'utf8').trim();
    } catch {
      throw new UsageError(`config: connectors.linear.apiKeyFile: cannot read "${config.apiKeyFile}"`);
    }
  }
  if (!apiKey)
    throw new UsageError(
      'config: connectors.linear: no Linear credentials: set LINEAR_API_KEY (or connectors.linear.apiKeyFile) or LINEAR_OAUTH_TOKEN',
    );
  registerSecret(apiKey);
  return { apiKey };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createLinearClient(
  config: LinearConfig,
  env: NodeJS.ProcessEnv,
  tuning: LinearTuning = {},
): LinearApi {
  const timeoutMs = tuning.timeoutMs ?? config.timeout ?? 30_000;
  const sdk = new LinearClient({
    ...credentials(config, env),
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
  });
  const retries = tuning.retries ?? 3;
  const baseMs = tuning.retryBaseMs ?? 1_000;
  const query = async <T>(
    text: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await sdk.client.rawRequest(text, variables, {});
        return schema.parse(response.data);
      } catch (error) {
        const mapped = toLinearError(error, what);
        const transient = mapped.retry === 'retriable' && mapped.code !== 'RATE_LIMITED';
        if (!transient || attempt >= retries) throw mapped;
        await sleep(baseMs * 2 ** attempt);
      }
    }
  };
  // The SDK's fetch has no timeout of its own: a request that never answers fails the call, retriable.
  const bounded = async <T>(attempt: Promise<T>, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        attempt,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(toLinearError(new Error(`no answer within ${timeoutMs} ms`), what)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    config,
    query: (text, variables, schema, what) => bounded(query(text, variables, schema, what), what),
  };
}

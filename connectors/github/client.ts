import { readFileSync } from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { z } from 'zod';
import { UsageError } from '../../src/errors.js';
import { registerSecret } from '../../src/secrets.js';
import type { GithubConfig } from './config.js';
import { toGithubError } from './errors.js';
import { bufferedFetch } from './fetch.js';

const GithubOctokit = Octokit.plugin(throttling, retry);
type GithubOctokitInstance = InstanceType<typeof GithubOctokit>;

/** Knobs tests turn down; production keeps GitHub's own pacing. */
export interface ClientTuning {
  /** Multiplies retry-after seconds and backoff steps (1000 = real seconds). */
  readonly retryBaseMs?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  readonly retries?: number;
  /**
   * Spacing between GraphQL calls. plugin-throttling treats every GraphQL query as a write and spaces them
   * one second apart, which GitHub asks for mutations; tests and the bench against the sandbox set 0.
   */
  readonly graphqlSpacingMs?: number;
}

/** The shape plugin-throttling expects of its `write` limiter group: key(id).schedule(options, task, ...args). */
function spacingGroup(spacingMs: number) {
  let next = 0;
  const limiter = {
    async schedule<A extends unknown[], R>(
      _options: unknown,
      task: (...args: A) => R,
      ...args: A
    ): Promise<Awaited<R>> {
      const now = Date.now();
      const slot = Math.max(next, now);
      next = slot + spacingMs;
      if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
      return await task(...args);
    },
  };
  return { key: () => limiter };
}

export interface RestResponse<T> {
  readonly data: T;
  readonly headers: Record<string, string | number | undefined>;
}

export interface CallOptions {
  /**
   * Send the ETag of the last answer for the same call; a 304 reuses that answer and costs no rate-limit
   * quota. For snapshot polling, where most days nothing changed.
   */
  readonly conditional?: boolean;
}

/** What the GitHub streams read through: REST and GraphQL calls that validate and map errors. */
export interface GithubClient {
  readonly config: GithubConfig;
  readonly octokit: GithubOctokitInstance;
  /** One REST call; the response is checked against `schema`. */
  get<T>(
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
    options?: CallOptions,
  ): Promise<RestResponse<T>>;
  /** Every page of a list endpoint (Link rel="next"), 100 at a time; `pick` finds the array. */
  pages<T>(
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
    options?: CallOptions,
  ): AsyncGenerator<T, void, undefined>;
  graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<T>;
}

function credentials(config: GithubConfig, env: NodeJS.ProcessEnv) {
  if (config.app) {
    let privateKey: string;
    try {
      privateKey = readFileSync(config.app.privateKeyFile, 'utf8');
    } catch {
      throw new UsageError(
        `config: connectors.github.app.privateKeyFile: cannot read "${config.app.privateKeyFile}"`,
      );
    }
    registerSecret(privateKey);
    return {
      authStrategy: createAppAuth,
      auth: {
        appId: Number(config.app.appId),
        privateKey,
        installationId: Number(config.app.installationId),
      },
    };
  }
  if (config.tokenFile) {
    let token: string;
    try {
      token = readFileSync(config.tokenFile, 'utf8').trim();
    } catch {
      throw new UsageError(`config: connectors.github.tokenFile: cannot read "${config.tokenFile}"`);
    }
    if (!token) throw new UsageError(`config: connectors.github.tokenFile: "${config.tokenFile}" is empty`);
    registerSecret(token);
    return { auth: token };
  }
  const token = env.GITHUB_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      'config: connectors.github: no GitHub credentials: set GITHUB_TOKEN, or connectors.github.tokenFile, or connectors.github.app',
    );
  return { auth: token };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createGithubClient(
  config: GithubConfig,
  env: NodeJS.ProcessEnv,
  tuning: ClientTuning = {},
): GithubClient {
  const retryBaseMs = tuning.retryBaseMs ?? 1_000;
  const octokit = new GithubOctokit({
    ...credentials(config, env),
    ...(config.baseUrl ? { baseUrl: config.baseUrl.replace(/\/$/, '') } : {}),
    userAgent: 'evidence-worker',
    log: quiet,
    request: { fetch: bufferedFetch(tuning.timeoutMs ?? 30_000) },
    retry: { retries: tuning.retries ?? 3, retryAfterBaseValue: retryBaseMs },
    throttle: {
      retryAfterBaseValue: retryBaseMs,
      ...(tuning.graphqlSpacingMs === undefined
        ? {}
        : { write: spacingGroup(tuning.graphqlSpacingMs) as never }),
      // The primary limit is hours away at worst: give the job back to the queue to be delayed.
      onRateLimit: () => false,
      // Secondary limits clear within a minute: wait as told, a few times.
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < 3,
    },
  });

  // Last answers of conditional calls, oldest first; bounded so a long-running worker stays small.
  const etags = new Map<string, { etag: string; data: unknown; headers: RestResponse<unknown>['headers'] }>();
  const get = async <T>(
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
    options: CallOptions = {},
  ): Promise<RestResponse<T>> => {
    const cacheKey = options.conditional ? `${route} ${JSON.stringify(params)}` : undefined;
    const cached = cacheKey ? etags.get(cacheKey) : undefined;
    try {
      const response = await octokit.request(route, {
        ...params,
        ...(cached ? { headers: { 'if-none-match': cached.etag } } : {}),
      });
      const data = schema.parse(response.data);
      const etag = response.headers.etag;
      if (cacheKey && typeof etag === 'string') {
        etags.delete(cacheKey);
        etags.set(cacheKey, { etag, data, headers: response.headers });
        if (etags.size > 2_000) etags.delete(etags.keys().next().value as string);
      }
      return { data, headers: response.headers };
    } catch (error) {
      if (cached && (error as { status?: unknown }).status === 304)
        return { data: schema.parse(cached.data), headers: cached.headers };
      throw toGithubError(error, what);
    }
  };

  async function* pages<T>(
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
    options: CallOptions = {},
  ): AsyncGenerator<T, void, undefined> {
    let response = await get(route, { per_page: 100, ...params }, schema, what, options);
    for (;;) {
      yield response.data;
      const next = /<([^>]+)>;\s*rel="next"/.exec(String(response.headers.link ?? ''))?.[1];
      if (!next) return;
      response = await get(`GET ${next}`, {}, schema, what, options);
    }
  }

  const graphql = async <T>(
    query: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<T> => {
    try {
      return schema.parse(await octokit.graphql(query, variables));
    } catch (error) {
      throw toGithubError(error, what);
    }
  };

  return { config, octokit, get, pages, graphql };
}

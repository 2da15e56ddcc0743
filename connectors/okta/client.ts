import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { EvidenceError, RateLimitedError } from '../../src/errors.js';
import type { OktaConfig } from './config.js';
import { oktaAuthorizer } from './credentials.js';
import { oktaHttpError, oktaResponseError, rateLimitWaitMs } from './errors.js';

export interface OktaTuning {
  /** Retries of a 5xx or network failure inside one attempt, with exponential backoff from `retryBaseMs`. */
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly timeoutMs?: number;
  /** A rate-limit reset nearer than this is waited out in place; a later one delays the job. */
  readonly maxInlineWaitMs?: number;
}

export interface OktaPage<T> {
  readonly data: T;
  /** The `rel="next"` URL of the `Link` header, if any. */
  readonly next: string | undefined;
}

export interface OktaClient {
  readonly config: OktaConfig;
  get<T>(
    pathOrUrl: string,
    query: Record<string, string | number | undefined>,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<OktaPage<T>>;
  /** Every page of a list endpoint, following `Link: <...>; rel="next"`. */
  pages<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    schema: z.ZodType<T[]>,
    what: string,
  ): AsyncGenerator<T[]>;
}

export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** A small fetch layer over Okta's REST API: Link paging, X-Rate-Limit-* honoured, 5xx retried, coded errors. */
export function createOktaClient(
  config: OktaConfig,
  env: NodeJS.ProcessEnv,
  tuning: OktaTuning = {},
): OktaClient {
  const authorizer = oktaAuthorizer(config, env);
  const origin = new URL(config.orgUrl).origin;
  const retries = tuning.retries ?? 3;
  const retryBaseMs = tuning.retryBaseMs ?? 1_000;
  const timeoutMs = tuning.timeoutMs ?? 30_000;
  const maxInlineWaitMs = tuning.maxInlineWaitMs ?? 10_000;
  // When the last answer said no calls remain, the next one waits for the reset (Okta counts per endpoint).
  let pausedUntil = 0;

  async function waitForQuota(what: string, until: number) {
    const wait = until - Date.now();
    if (wait <= 0) return;
    if (wait > maxInlineWaitMs)
      throw new RateLimitedError(`${what}: Okta rate limit exhausted until reset`, wait);
    await sleep(wait);
  }

  async function request(url: URL, what: string): Promise<{ body: string; headers: Headers }> {
    for (let attempt = 0; ; attempt += 1) {
      await waitForQuota(what, pausedUntil);
      let response: Response;
      let body: string;
      try {
        response = await fetch(url, {
          headers: { authorization: await authorizer.header(), accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.text();
      } catch (error) {
        if (error instanceof EvidenceError) throw error;
        if (attempt >= retries)
          throw new EvidenceError('NETWORK', `${what}: Okta request failed: ${String(error)}`, 'retriable', {
            cause: error,
          });
        await sleep(retryBaseMs * 2 ** attempt);
        continue;
      }
      if (response.headers.get('x-rate-limit-remaining') === '0')
        pausedUntil = Date.now() + rateLimitWaitMs(response.headers, Date.now());
      if (response.ok) return { body, headers: response.headers };
      if (response.status === 401 && attempt === 0) authorizer.refresh();
      const error = oktaHttpError(response.status, response.headers, body, what);
      if (error instanceof RateLimitedError && error.retryAfterMs <= maxInlineWaitMs && attempt < retries) {
        await sleep(error.retryAfterMs);
        continue;
      }
      if (error.retry !== 'retriable' || error instanceof RateLimitedError || attempt >= retries) throw error;
      await sleep(retryBaseMs * 2 ** attempt);
    }
  }

  async function get<T>(
    pathOrUrl: string,
    query: Record<string, string | number | undefined>,
    schema: z.ZodType<T>,
    what: string,
  ) {
    const url = new URL(pathOrUrl, config.orgUrl);
    // Never send the token elsewhere than the org, whatever a Link header says.
    if (url.origin !== origin)
      throw new EvidenceError(
        'OKTA_RESPONSE_INVALID',
        `${what}: next page points outside the org (${url.origin})`,
        'fatal',
      );
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const { body, headers } = await request(url, what);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new EvidenceError(
        'OKTA_RESPONSE_INVALID',
        `${what}: Okta answer is not JSON (${body.length} bytes)`,
        'retriable',
        { cause: error },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw oktaResponseError(parsed.error, what);
    return { data: parsed.data, next: nextLink(headers.get('link')) };
  }

  return {
    config,
    get,
    async *pages(path, query, schema, what) {
      let page = await get(path, query, schema, what);
      yield page.data;
      while (page.next) {
        page = await get(page.next, {}, schema, what);
        yield page.data;
      }
    },
  };
}

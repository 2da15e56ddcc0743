import type { z } from 'zod';
import { EvidenceError, RateLimitedError } from '../../src/errors.js';

/** The wait until `X-Rate-Limit-Reset` (epoch seconds, rounded up by Okta), or `Retry-After` seconds. */
export function rateLimitWaitMs(headers: Headers, now: number): number {
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(reset * 1_000 - now, 0) + 100;
  const after = Number(headers.get('retry-after'));
  return Number.isFinite(after) && after > 0 ? after * 1_000 : 60_000;
}

/**
 * Turns an Okta HTTP answer into a coded error so the queue knows whether to retry, delay or give up.
 * Okta's error body is `{ errorCode, errorSummary }`; the summary goes into the message, never the token.
 */
export function oktaHttpError(status: number, headers: Headers, body: string, what: string): EvidenceError {
  let summary = '';
  try {
    const parsed = JSON.parse(body) as { errorCode?: unknown; errorSummary?: unknown };
    summary = [parsed.errorCode, parsed.errorSummary].filter((v) => typeof v === 'string').join(' ');
  } catch {
    summary = body.slice(0, 120);
  }
  const detail = summary ? `: ${summary}` : '';
  if (status === 429)
    return new RateLimitedError(
      `${what}: Okta rate limit reached (429)`,
      rateLimitWaitMs(headers, Date.now()),
    );
  if (status === 401)
    return new EvidenceError(
      'AUTH_INVALID',
      `${what}: Okta rejected the credentials (401)${detail}: check OKTA_API_TOKEN or connectors.okta.oauth`,
      'fatal',
    );
  if (status === 403)
    return new EvidenceError(
      'AUTH_FORBIDDEN',
      `${what}: the Okta credentials lack a permission or scope (403)${detail}`,
      'fatal',
    );
  if (status === 404) return new EvidenceError('NOT_FOUND', `${what}: not found (404)${detail}`, 'fatal');
  if (status >= 500)
    return new EvidenceError(`HTTP_${status}`, `${what}: Okta unavailable (${status})${detail}`, 'retriable');
  return new EvidenceError(`HTTP_${status}`, `${what}: Okta answered ${status}${detail}`, 'fatal');
}

export function oktaResponseError(error: z.ZodError, what: string): EvidenceError {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(root)';
  return new EvidenceError(
    'OKTA_RESPONSE_INVALID',
    `${what}: Okta response field ${where}: ${issue?.message ?? 'invalid'}`,
    'retriable',
    { cause: error },
  );
}

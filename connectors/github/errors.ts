import { z } from 'zod';
import { EvidenceError, RateLimitedError } from '../../src/errors.js';

interface HttpFailure {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
  );
}

function header(error: HttpFailure, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Turns whatever Octokit or zod threw into a coded EvidenceError, so the queue knows whether to retry,
 * delay or give up. `what` names the call in words ("list commits of acme/api").
 * Retry-after times are computed here, in the client layer; streams never read the clock.
 */
export function toGithubError(error: unknown, what: string): EvidenceError {
  if (error instanceof EvidenceError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    return new EvidenceError(
      'GITHUB_RESPONSE_INVALID',
      `${what}: GitHub response field ${where}: ${issue?.message ?? 'invalid'}`,
      'retriable',
      { cause: error },
    );
  }
  const graphqlErrors = (error as { errors?: unknown }).errors;
  if (Array.isArray(graphqlErrors) && !isHttpFailure(error)) {
    const types = graphqlErrors.map((entry) => String((entry as { type?: unknown }).type ?? ''));
    const text = graphqlErrors.map((entry) => String((entry as { message?: unknown }).message)).join('; ');
    if (types.includes('RATE_LIMITED'))
      return new RateLimitedError(`${what}: GitHub GraphQL rate limit: ${text}`, 60_000, { cause: error });
    if (types.includes('NOT_FOUND') || types.includes('FORBIDDEN'))
      return new EvidenceError('GITHUB_NOT_VISIBLE', `${what}: ${text}`, 'fatal', { cause: error });
    return new EvidenceError('GITHUB_GRAPHQL_ERROR', `${what}: ${text}`, 'retriable', { cause: error });
  }
  if (!isHttpFailure(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new EvidenceError('UNEXPECTED', `${what}: ${message}`, 'retriable', { cause: error });
  }
  const { status } = error;
  const remaining = header(error, 'x-ratelimit-remaining');
  const retryAfter = header(error, 'retry-after');
  if ((status === 403 || status === 429) && remaining === '0') {
    const reset = Number(header(error, 'x-ratelimit-reset'));
    const waitMs = Number.isFinite(reset) ? Math.max(reset * 1_000 - Date.now(), 0) + 1_000 : 60_000;
    return new RateLimitedError(`${what}: GitHub primary rate limit exhausted`, waitMs, { cause: error });
  }
  if ((status === 403 || status === 429) && retryAfter !== undefined) {
    // Secondary limit still in force after the throttling plugin's own retries.
    const waitMs = (Number(retryAfter) || 60) * 1_000;
    return new RateLimitedError(`${what}: GitHub secondary rate limit`, waitMs, { cause: error });
  }
  if (status === 401)
    return new EvidenceError(
      'AUTH_INVALID',
      `${what}: GitHub rejected the credentials (401): check GITHUB_TOKEN or the GitHub App of connectors.github`,
      'fatal',
      { cause: error },
    );
  if (status === 403)
    return new EvidenceError(
      'AUTH_FORBIDDEN',
      `${what}: the token lacks permission (403): ${error.message}`,
      'fatal',
      { cause: error },
    );
  if (status === 404)
    return new EvidenceError('NOT_FOUND', `${what}: not found or not visible to the token (404)`, 'fatal', {
      cause: error,
    });
  if (status >= 500)
    return new EvidenceError(`HTTP_${status}`, `${what}: GitHub unavailable: ${error.message}`, 'retriable', {
      cause: error,
    });
  return new EvidenceError(`HTTP_${status}`, `${what}: ${error.message}`, 'fatal', { cause: error });
}

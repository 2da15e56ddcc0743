import { z } from 'zod';
import { EvidenceError, RateLimitedError } from '../../src/errors.js';

interface HttpFailure {
  status: number;
  message: string;
  cause?: { response?: { headers?: Record<string, unknown>; data?: unknown } };
  response?: { data?: unknown };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
  );
}

/** jira.js keeps axios's error as `cause`: the response headers (Retry-After) are read there. */
function header(error: HttpFailure, name: string): string | undefined {
  const value = error.cause?.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** Jira's own words for a failure: `errorMessages` and `errors` of the body. */
function jiraMessage(error: HttpFailure): string {
  const data = (error.cause?.response?.data ?? error.response?.data) as
    { errorMessages?: unknown; errors?: unknown; message?: unknown } | undefined;
  const parts: string[] = [];
  if (Array.isArray(data?.errorMessages)) parts.push(...data.errorMessages.map(String));
  if (data?.errors && typeof data.errors === 'object')
    parts.push(...Object.entries(data.errors).map(([field, text]) => `${field}: ${String(text)}`));
  if (parts.length === 0 && typeof data?.message === 'string') parts.push(data.message);
  return parts.join('; ') || error.message;
}

/** Retry-After in seconds, or an HTTP date; Jira sends seconds. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(at - now, 0) : undefined;
}

/**
 * Turns whatever jira.js, axios or zod threw into a coded EvidenceError. `what` names the call in words
 * ("search CHG issues updated 2026-01-01"). 429 delays the job by Retry-After; 401 and 403 are credential
 * errors (alert at once); 5xx and network failures are retried.
 */
export function toJiraError(error: unknown, what: string): EvidenceError {
  if (error instanceof EvidenceError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    return new EvidenceError(
      'JIRA_RESPONSE_INVALID',
      `${what}: Jira response field ${where}: ${issue?.message ?? 'invalid'}`,
      'retriable',
      { cause: error },
    );
  }
  if (!isHttpFailure(error)) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    const network = typeof code === 'string' && /^(E[A-Z]+|ERR_[A-Z_]+)$/.test(code);
    return new EvidenceError(network ? 'NETWORK' : 'UNEXPECTED', `${what}: ${message}`, 'retriable', {
      cause: error,
    });
  }
  const { status } = error;
  if (status === 429) {
    const waitMs = retryAfterMs(header(error, 'retry-after')) ?? 60_000;
    return new RateLimitedError(`${what}: Jira rate limit (429), retry after ${waitMs} ms`, waitMs, {
      cause: error,
    });
  }
  if (status === 401)
    return new EvidenceError(
      'AUTH_INVALID',
      `${what}: Jira rejected the credentials (401): check JIRA_EMAIL and JIRA_API_TOKEN (or JIRA_OAUTH_TOKEN)`,
      'fatal',
      { cause: error },
    );
  if (status === 403)
    return new EvidenceError(
      'AUTH_FORBIDDEN',
      `${what}: the Jira account lacks permission (403): ${jiraMessage(error)}`,
      'fatal',
      { cause: error },
    );
  if (status >= 500)
    return new EvidenceError(`HTTP_${status}`, `${what}: Jira unavailable (${status})`, 'retriable', {
      cause: error,
    });
  return new EvidenceError(`HTTP_${status}`, `${what}: ${jiraMessage(error)} (${status})`, 'fatal', {
    cause: error,
  });
}

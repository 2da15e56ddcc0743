import { EvidenceError, RateLimitedError } from '../../src/errors.js';

interface GaxiosLike {
  status?: number;
  response?: { status?: number; headers?: unknown; data?: unknown };
  message?: string;
  code?: unknown;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (headers && typeof headers === 'object') {
    const value = (headers as Record<string, unknown>)[name];
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

/** Google's error body: `{ error: { code, message, errors: [{ reason }] } }`, or OAuth's `{ error, error_description }`. */
function detailOf(data: unknown): { reasons: string[]; message: string } {
  const error = (data as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string')
    return {
      reasons: [error],
      message: `${error}: ${String((data as { error_description?: unknown }).error_description ?? '')}`,
    };
  const body = error as { message?: unknown; errors?: { reason?: unknown }[] } | undefined;
  return {
    reasons: (body?.errors ?? []).map((entry) => String(entry.reason ?? '')),
    message: typeof body?.message === 'string' ? body.message : '',
  };
}

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** Turns what gaxios threw into a coded error: 429 / rate-limit 403 delayed, 401 fatal, 5xx retried. */
export function toGoogleError(thrown: unknown, what: string, tokenCall = false): EvidenceError {
  if (thrown instanceof EvidenceError) return thrown;
  const error = thrown as GaxiosLike;
  const status = error.response?.status ?? error.status;
  const { reasons, message } = detailOf(error.response?.data);
  const text = message || error.message || String(thrown);
  if (status === undefined) {
    const code = typeof error.code === 'string' ? error.code : '';
    return new EvidenceError('NETWORK', `${what}: Google request failed: ${code || text}`, 'retriable', {
      cause: thrown,
    });
  }
  if (status === 429 || (status === 403 && reasons.some((reason) => RATE_REASONS.has(reason)))) {
    const after = Number(headerOf(error.response?.headers, 'retry-after'));
    return new RateLimitedError(
      `${what}: Google rate limit (${status})`,
      Number.isFinite(after) && after > 0 ? after * 1_000 : 60_000,
      { cause: thrown },
    );
  }
  // The token endpoint answers 400 invalid_grant / unauthorized_client for a bad key or missing delegation.
  if (status === 401 || (tokenCall && status >= 400 && status < 500))
    return new EvidenceError(
      'AUTH_INVALID',
      `${what}: Google rejected the service account (${status}): ${text}: check the key and domain-wide delegation for connectors.google-workspace.subject`,
      'fatal',
      { cause: thrown },
    );
  if (status === 403)
    return new EvidenceError(
      'AUTH_FORBIDDEN',
      `${what}: the impersonated admin or the scopes lack a permission (403): ${text}`,
      'fatal',
      { cause: thrown },
    );
  if (status >= 500)
    return new EvidenceError(
      `HTTP_${status}`,
      `${what}: Google unavailable (${status}): ${text}`,
      'retriable',
      { cause: thrown },
    );
  return new EvidenceError(`HTTP_${status}`, `${what}: Google answered ${status}: ${text}`, 'fatal', {
    cause: thrown,
  });
}

/**
 * Every error we raise carries a stable code and a retry class:
 * - retriable: let the queue retry with backoff (429, 5xx, throttling, timeouts);
 * - fatal: retrying cannot help (401, 403, bad config); the run is recorded failed;
 * - skippable: one malformed record; counted and logged, the run goes on.
 */
export type RetryClass = 'retriable' | 'fatal' | 'skippable';

export class EvidenceError extends Error {
  readonly code: string;
  readonly retry: RetryClass;

  constructor(code: string, message: string, retry: RetryClass, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvidenceError';
    this.code = code;
    this.retry = retry;
  }
}

/** The source asked us to come back later; the job is delayed, not failed. */
export class RateLimitedError extends EvidenceError {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super('RATE_LIMITED', message, 'retriable', options);
    this.name = 'RateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** A user mistake (config, CLI argument): printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Maps an HTTP status (and whether rate-limit headers were present) to a retry class. */
export function classifyHttpStatus(status: number, rateLimited = false): { code: string; retry: RetryClass } {
  if (status === 429 || rateLimited) return { code: 'RATE_LIMITED', retry: 'retriable' };
  if (status === 401) return { code: 'AUTH_INVALID', retry: 'fatal' };
  if (status === 403) return { code: 'AUTH_FORBIDDEN', retry: 'fatal' };
  if (status === 404) return { code: 'NOT_FOUND', retry: 'fatal' };
  if (status >= 500) return { code: `HTTP_${status}`, retry: 'retriable' };
  return { code: `HTTP_${status}`, retry: 'fatal' };
}

/** Normalises anything thrown into an EvidenceError; unknown errors are retriable (a bug or a blip). */
export function toEvidenceError(error: unknown): EvidenceError {
  if (error instanceof EvidenceError) return error;
  if (error instanceof UsageError)
    return new EvidenceError('CONFIG_INVALID', error.message, 'fatal', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') {
    return new EvidenceError('NETWORK', message, 'retriable', { cause: error });
  }
  return new EvidenceError('UNEXPECTED', message, 'retriable', { cause: error });
}

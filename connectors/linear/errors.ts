import { LinearError, LinearErrorType, RatelimitedLinearError } from '@linear/sdk';
import { z } from 'zod';
import { EvidenceError, RateLimitedError } from '../../src/errors.js';

/** How long a rate-limited (request count or query complexity) caller must wait, from Linear's headers. */
function waitOf(error: RatelimitedLinearError, now = Date.now()): number {
  if (error.retryAfter !== undefined && Number.isFinite(error.retryAfter))
    return Math.ceil(error.retryAfter * 1_000);
  const resets = [error.complexityResetAt, error.requestsResetAt].filter(
    (at): at is number => at !== undefined && Number.isFinite(at) && at > now,
  );
  return resets.length > 0 ? Math.max(...resets) - now : 60_000;
}

/**
 * Turns what the Linear SDK or zod threw into a coded EvidenceError: RATELIMITED (requests or complexity)
 * delays the job; authentication and permission errors are credential errors (alert at once); network
 * and internal errors are retried.
 */
export function toLinearError(error: unknown, what: string): EvidenceError {
  if (error instanceof EvidenceError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    return new EvidenceError(
      'LINEAR_RESPONSE_INVALID',
      `${what}: Linear response field ${where}: ${issue?.message ?? 'invalid'}`,
      'retriable',
      { cause: error },
    );
  }
  if (error instanceof RatelimitedLinearError) {
    const waitMs = waitOf(error);
    return new RateLimitedError(
      `${what}: Linear rate or complexity limit (RATELIMITED), retry after ${waitMs} ms`,
      waitMs,
      {
        cause: error,
      },
    );
  }
  if (error instanceof LinearError) {
    const text = error.errors?.map((entry) => entry.message).join('; ') || error.message.split(': {')[0];
    switch (error.type) {
      case LinearErrorType.AuthenticationError:
        return new EvidenceError(
          'AUTH_INVALID',
          `${what}: Linear rejected the credentials: check LINEAR_API_KEY or LINEAR_OAUTH_TOKEN (${text})`,
          'fatal',
          { cause: error },
        );
      case LinearErrorType.Forbidden:
      case LinearErrorType.FeatureNotAccessible:
        return new EvidenceError(
          'AUTH_FORBIDDEN',
          `${what}: the Linear token lacks access: ${text}`,
          'fatal',
          {
            cause: error,
          },
        );
      case LinearErrorType.NetworkError:
      case LinearErrorType.InternalError:
      case LinearErrorType.LockTimeout:
      case LinearErrorType.Unknown:
        return new EvidenceError(
          `LINEAR_${String(error.type).toUpperCase()}`,
          `${what}: Linear unavailable: ${text}`,
          'retriable',
          {
            cause: error,
          },
        );
      default:
        return new EvidenceError(
          `LINEAR_${String(error.type ?? 'error').toUpperCase()}`,
          `${what}: ${text}`,
          'fatal',
          { cause: error },
        );
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EvidenceError('NETWORK', `${what}: ${message}`, 'retriable', { cause: error });
}

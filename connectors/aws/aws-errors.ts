import { EvidenceError, RateLimitedError } from '../../src/errors.js';

// Credentials that are wrong, expired, revoked or lack permission: retrying cannot help.
const CREDENTIAL_ERRORS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AccessDenied',
  'AccessDeniedException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
  'CredentialsProviderError',
  'OptInRequired',
  'NoSuchBucket',
]);

/** The codes `awsError` gives credential problems: the connector declares them for alerts and repair. */
export const AWS_CREDENTIAL_CODES: readonly string[] = [...CREDENTIAL_ERRORS].map((name) => codeOf(name));

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

/** "InvalidClientTokenId" -> "AWS_INVALID_CLIENT_TOKEN_ID": a code an operator can search for. */
function codeOf(name: string): string {
  return `AWS_${name
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

/**
 * Turns what the AWS SDK threw (after its own adaptive retries) into our coded error:
 * credential problems are fatal, throttling/5xx/timeouts/cut connections retriable.
 */
export function toAwsEvidenceError(error: unknown, what: string): EvidenceError {
  if (error instanceof EvidenceError) return error;
  const e = (error ?? {}) as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = `${what}: ${name}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`;
  if (CREDENTIAL_ERRORS.has(name)) return new EvidenceError(codeOf(name), message, 'fatal', { cause: error });
  if (THROTTLING_ERRORS.has(name) || status === 429)
    return new RateLimitedError(message, 1_000, { cause: error });
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException')
    return new EvidenceError('AWS_TIMEOUT', message, 'retriable', { cause: error });
  if (e.code && NETWORK_CODES.has(e.code))
    return new EvidenceError('AWS_NETWORK', message, 'retriable', { cause: error });
  if (status !== undefined && status >= 500)
    return new EvidenceError(`AWS_HTTP_${status}`, message, 'retriable', { cause: error });
  if (status === 401 || status === 403)
    return new EvidenceError(codeOf(name), message, 'fatal', { cause: error });
  if (status !== undefined && status >= 400)
    return new EvidenceError(codeOf(name), message, 'fatal', { cause: error });
  // No status: a body cut short or unparseable, a dropped socket: worth another attempt.
  return new EvidenceError('AWS_BAD_RESPONSE', message, 'retriable', { cause: error });
}

/** Runs one SDK call and maps its failure. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsEvidenceError(error, what);
  }
}

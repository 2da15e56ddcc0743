import { setTimeout as sleep } from 'node:timers/promises';
import { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import { RateLimitedError } from '../../src/errors.js';
import type { GoogleWorkspaceConfig } from './config.js';
import { serviceAccountAuth } from './credentials.js';
import { toGoogleError } from './errors.js';

export interface GoogleTuning {
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly timeoutMs?: number;
  /** A Retry-After shorter than this is waited out in place; a longer one delays the job. */
  readonly maxInlineWaitMs?: number;
}

export interface GoogleWorkspaceClient {
  readonly config: GoogleWorkspaceConfig;
  readonly directory: admin_directory_v1.Admin;
  readonly reports: admin_reports_v1.Admin;
  /** Runs one API call (gaxios retries off) with our retries and coded errors. */
  call<T>(what: string, request: () => Promise<{ data: T }>): Promise<T>;
}

export function createGoogleWorkspaceClient(
  config: GoogleWorkspaceConfig,
  env: NodeJS.ProcessEnv,
  tuning: GoogleTuning = {},
): GoogleWorkspaceClient {
  const timeoutMs = tuning.timeoutMs ?? 30_000;
  const retries = tuning.retries ?? 3;
  const retryBaseMs = tuning.retryBaseMs ?? 1_000;
  const maxInlineWaitMs = tuning.maxInlineWaitMs ?? 10_000;
  const auth = serviceAccountAuth(config, env, timeoutMs);
  const rootUrl = config.rootUrl ? `${config.rootUrl.replace(/\/$/, '')}/` : undefined;
  const options = { auth, ...(rootUrl ? { rootUrl } : {}) };
  return {
    config,
    directory: new admin_directory_v1.Admin(options),
    reports: new admin_reports_v1.Admin(options),
    async call(what, request) {
      for (let attempt = 0; ; attempt += 1) {
        let error;
        try {
          // The token first, so a refused key reads as a credential error, not an API one.
          await auth.getAccessToken();
        } catch (thrown) {
          error = toGoogleError(thrown, `${what} (service account token)`, true);
        }
        if (!error)
          try {
            return (await request()).data;
          } catch (thrown) {
            error = toGoogleError(thrown, what);
          }
        if (error.retry !== 'retriable' || attempt >= retries) throw error;
        if (error instanceof RateLimitedError) {
          if (error.retryAfterMs > maxInlineWaitMs) throw error;
          await sleep(error.retryAfterMs);
        } else await sleep(retryBaseMs * 2 ** attempt);
      }
    },
  };
}

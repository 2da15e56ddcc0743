import { seededRandom } from './random.js';

export interface FaultSettings {
  /** Fraction of requests answered 502. */
  serverErrorRate: number;
  /** Fraction answered 403 "secondary rate limit" with `retry-after: retryAfterSeconds`. */
  secondaryRateLimitRate: number;
  retryAfterSeconds: number;
  /** Fraction held for `timeoutMs` before any answer. */
  timeoutRate: number;
  timeoutMs: number;
  /** Fraction whose body is cut in half and the connection dropped. */
  truncateRate: number;
  /** Every request gets 403 with x-ratelimit-remaining: 0 until `primaryResetSeconds` from then. */
  primaryLimitExhausted: boolean;
  primaryResetSeconds: number;
  /** Every request gets 401 Bad credentials. */
  revokedToken: boolean;
  /** The token is not an org owner: the 2fa_disabled filter is refused. */
  hideTwoFactor: boolean;
}

export type FaultKind =
  'server_error' | 'secondary_rate_limit' | 'timeout' | 'truncated' | 'primary_rate_limit' | 'revoked';

const DEFAULTS: FaultSettings = {
  serverErrorRate: 0,
  secondaryRateLimitRate: 0,
  retryAfterSeconds: 1,
  timeoutRate: 0,
  timeoutMs: 2_000,
  truncateRate: 0,
  primaryLimitExhausted: false,
  primaryResetSeconds: 60,
  revokedToken: false,
  hideTwoFactor: false,
};

/**
 * Faults a test or the demo turns on at runtime. Random faults come from their own seeded generator and
 * never hit more than two requests in a row, so a client that retries a few times always gets through.
 */
export class GithubFaults {
  settings: FaultSettings = { ...DEFAULTS };
  readonly injected: Record<FaultKind, number> = {
    server_error: 0,
    secondary_rate_limit: 0,
    timeout: 0,
    truncated: 0,
    primary_rate_limit: 0,
    revoked: 0,
  };
  private readonly random: () => number;
  private streak = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0x5eed);
  }

  set(settings: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  reset(): void {
    this.settings = { ...DEFAULTS };
    this.streak = 0;
  }

  /** The fault for the next request, if any; counted as injected. */
  next(): FaultKind | undefined {
    const fault = this.choose();
    if (fault) this.injected[fault] += 1;
    return fault;
  }

  private choose(): FaultKind | undefined {
    const s = this.settings;
    if (s.revokedToken) return 'revoked';
    if (s.primaryLimitExhausted) return 'primary_rate_limit';
    const draw = this.random();
    if (this.streak >= 2) {
      this.streak = 0;
      return undefined;
    }
    let edge = 0;
    const table: [FaultKind, number][] = [
      ['server_error', s.serverErrorRate],
      ['secondary_rate_limit', s.secondaryRateLimitRate],
      ['timeout', s.timeoutRate],
      ['truncated', s.truncateRate],
    ];
    for (const [kind, rate] of table) {
      edge += rate;
      if (draw < edge) {
        this.streak += 1;
        return kind;
      }
    }
    this.streak = 0;
    return undefined;
  }
}

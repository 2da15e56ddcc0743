import { seededRandom } from './seeded-random.js';

/** Faults the Okta and Google Workspace sandboxes inject, turned on at runtime by a test or the demo. */
export interface PeopleFaultSettings {
  /** Fraction of requests answered 503. */
  serverErrorRate: number;
  /** Fraction answered 429 with the reset `resetSeconds` from then (and Retry-After). */
  rateLimitRate: number;
  resetSeconds: number;
  /** Every request answered 401 as for an expired or revoked token. */
  expiredToken: boolean;
}

export type PeopleFaultKind = 'server_error' | 'rate_limited' | 'expired_token';

const DEFAULTS: PeopleFaultSettings = {
  serverErrorRate: 0,
  rateLimitRate: 0,
  resetSeconds: 1,
  expiredToken: false,
};

/** Seeded random faults, never more than two in a row, so a client that retries a few times gets through. */
export class PeopleFaults {
  settings: PeopleFaultSettings = { ...DEFAULTS };
  readonly injected: Record<PeopleFaultKind, number> = { server_error: 0, rate_limited: 0, expired_token: 0 };
  private readonly random: () => number;
  private streak = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0xfa17);
  }

  set(settings: Partial<PeopleFaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  reset(): void {
    this.settings = { ...DEFAULTS };
    this.streak = 0;
  }

  next(): PeopleFaultKind | undefined {
    const fault = this.choose();
    if (fault) this.injected[fault] += 1;
    return fault;
  }

  private choose(): PeopleFaultKind | undefined {
    if (this.settings.expiredToken) return 'expired_token';
    const draw = this.random();
    if (this.streak >= 2) {
      this.streak = 0;
      return undefined;
    }
    const { serverErrorRate, rateLimitRate } = this.settings;
    const fault =
      draw < serverErrorRate
        ? 'server_error'
        : draw < serverErrorRate + rateLimitRate
          ? 'rate_limited'
          : undefined;
    this.streak = fault ? this.streak + 1 : 0;
    return fault;
  }
}

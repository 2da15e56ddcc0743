import { seededRandom } from '../seeded-random.js';

export interface TicketFaultSettings {
  /** Fraction of requests answered 503 (never more than two in a row). */
  serverErrorRate: number;
  /** Fraction answered 429 with `Retry-After: retryAfterSeconds` (Linear: a RATELIMITED complexity error). */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Every request gets 401: the token was revoked. */
  revokedToken: boolean;
}

export type TicketFault = 'server_error' | 'rate_limited' | 'revoked';

const DEFAULTS: TicketFaultSettings = {
  serverErrorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  revokedToken: false,
};

/** Faults a test or the demo turns on at runtime, from their own seeded generator. */
export class TicketFaults {
  settings: TicketFaultSettings = { ...DEFAULTS };
  readonly injected: Record<TicketFault, number> = { server_error: 0, rate_limited: 0, revoked: 0 };
  private readonly random: () => number;
  private streak = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0x71c4e7);
  }

  set(settings: Partial<TicketFaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  reset(): void {
    this.settings = { ...DEFAULTS };
    this.streak = 0;
  }

  /** The fault for the next request, if any. */
  next(): TicketFault | undefined {
    const fault = this.draw();
    if (fault) this.injected[fault] += 1;
    return fault;
  }

  private draw(): TicketFault | undefined {
    if (this.settings.revokedToken) return 'revoked';
    if (this.streak >= 2) {
      this.streak = 0;
      return undefined;
    }
    const roll = this.random();
    const { serverErrorRate, rateLimitRate } = this.settings;
    const fault =
      roll < serverErrorRate
        ? 'server_error'
        : roll < serverErrorRate + rateLimitRate
          ? 'rate_limited'
          : undefined;
    this.streak = fault ? this.streak + 1 : 0;
    return fault;
  }
}

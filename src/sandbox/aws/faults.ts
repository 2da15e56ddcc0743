import { seededRandom } from './random.js';

/** Faults the sandbox injects at runtime; rates are fractions of requests (0 to 1). */
export interface SandboxFaults {
  serverErrorRate: number;
  throttleRate: number;
  timeoutRate: number;
  /** How long a "timed out" request hangs before the sandbox gives up on it. */
  timeoutMs: number;
  truncateRate: number;
  /** Every request is refused as if the access key had been revoked. */
  revokedCredentials: boolean;
  /** Requests that received a fault, by kind (for tests and drills). */
  readonly injected: Record<'serverError' | 'throttle' | 'timeout' | 'truncate' | 'revoked', number>;
  reset(): void;
}

export type FaultKind = keyof SandboxFaults['injected'];

export function createFaults(): SandboxFaults {
  const faults: SandboxFaults = {
    serverErrorRate: 0,
    throttleRate: 0,
    timeoutRate: 0,
    timeoutMs: 3_000,
    truncateRate: 0,
    revokedCredentials: false,
    injected: { serverError: 0, throttle: 0, timeout: 0, truncate: 0, revoked: 0 },
    reset() {
      Object.assign(faults, {
        serverErrorRate: 0,
        throttleRate: 0,
        timeoutRate: 0,
        truncateRate: 0,
        revokedCredentials: false,
      });
      for (const kind of Object.keys(faults.injected) as FaultKind[]) faults.injected[kind] = 0;
    },
  };
  return faults;
}

/** Picks the fault for one request, if any, from a seeded sequence (the same seed, the same faults). */
export function faultPicker(seed: number) {
  const random = seededRandom(seed ^ 0xfa017);
  return (faults: SandboxFaults): FaultKind | undefined => {
    let kind: FaultKind | undefined;
    if (faults.revokedCredentials) kind = 'revoked';
    else {
      const draw = random();
      let edge = faults.serverErrorRate;
      if (draw < edge) kind = 'serverError';
      else if (draw < (edge += faults.throttleRate)) kind = 'throttle';
      else if (draw < (edge += faults.timeoutRate)) kind = 'timeout';
      else if (draw < (edge += faults.truncateRate)) kind = 'truncate';
    }
    if (kind) faults.injected[kind] += 1;
    return kind;
  };
}

/**
 * A sandbox's "now": the moment its model answers for. Unset, it follows the real clock; the demo shares one
 * between every sandbox and steps it through the audit period, so each answers as of that simulated moment.
 */
export interface SandboxClock {
  now(): number;
  /** Moves every sandbox that shares this clock to `at` (epoch ms). */
  set(at: number): void;
  /** Called after every move, for sandboxes whose state is a file rather than an answer (the HR export). */
  onSet(listener: (at: number) => void): void;
}

export function sandboxClock(initial?: number): SandboxClock {
  let fixed = initial;
  const listeners: ((at: number) => void)[] = [];
  return {
    now: () => fixed ?? Date.now(),
    set(at) {
      fixed = at;
      for (const listener of listeners) listener(at);
    },
    onSet(listener) {
      listeners.push(listener);
    },
  };
}

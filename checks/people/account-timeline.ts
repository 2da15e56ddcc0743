import type { Fact } from '../../src/checks/check.js';
import { grantsAccess, type AccountRecord } from './account.js';

/** One daily observation of a system: every account it listed, by account id. */
export interface SystemObservation {
  /** When the state was read (the later of the snapshot's day and its collection). */
  readonly at: number;
  /** 00:00 UTC of the day the snapshot stands for. */
  readonly day: number;
  readonly accounts: ReadonlyMap<string, AccountRecord>;
  /** The stored item each account came from, for findings to cite. */
  readonly keys: ReadonlyMap<string, string>;
}

/** What the daily snapshots say about one account: when it was last seen with access, and first without. */
export interface SnapshotBounds {
  /** Last observation listing the account with access; null when never seen with access. */
  readonly lastWithAccess: number | null;
  /** First observation after the last one with access that lists the account without it (or not at all). */
  readonly firstWithout: number | null;
  /** The latest login the snapshots record for the account. */
  readonly lastLogin: string | null;
  /** The stored item of the last observation listing the account. */
  readonly lastKey: string | null;
}

type DayEntry = { at: number; day: number; accounts: Map<string, AccountRecord>; keys: Map<string, string> };

/**
 * The observations of one account stream, fed one fact at a time in occurredAt order and grouped by the
 * moment they were taken (one per daily snapshot): a check compares consecutive snapshots to bound when an
 * account went away.
 */
export class SnapshotDays {
  private readonly byDay = new Map<number, DayEntry>();

  add(fact: Pick<Fact, 'occurredAt' | 'collectedAt' | 'key'>, records: readonly AccountRecord[]): void {
    if (records.length === 0) return;
    // A snapshot item's occurredAt is its day; the state was read when it was collected, and only that
    // moment bounds a removal honestly (a snapshot of day D taken at D+1 06:00 shows D+1's state).
    const day = Math.floor(fact.occurredAt / 86_400_000);
    const seen = Math.max(fact.occurredAt, fact.collectedAt);
    const entry: DayEntry = this.byDay.get(day) ?? {
      at: seen,
      day: day * 86_400_000,
      accounts: new Map(),
      keys: new Map(),
    };
    entry.at = Math.max(entry.at, seen);
    for (const record of records) {
      entry.accounts.set(record.accountId, record);
      entry.keys.set(record.accountId, fact.key);
    }
    this.byDay.set(day, entry);
  }

  observations(): SystemObservation[] {
    return [...this.byDay.values()].sort((a, b) => a.at - b.at);
  }
}

/** Bounds the end of an account's access from the daily snapshots. */
export function snapshotBounds(
  observations: readonly SystemObservation[],
  accountId: string,
): SnapshotBounds {
  let lastWithAccess: number | null = null;
  let firstWithout: number | null = null;
  let lastLogin: string | null = null;
  let lastKey: string | null = null;
  for (const observation of observations) {
    const record = observation.accounts.get(accountId);
    lastKey = observation.keys.get(accountId) ?? lastKey;
    if (record?.lastLogin && (lastLogin === null || record.lastLogin > lastLogin))
      lastLogin = record.lastLogin;
    const active = record !== undefined && grantsAccess(record);
    if (active) {
      lastWithAccess = observation.at;
      firstWithout = null;
    } else if (firstWithout === null && lastWithAccess !== null) firstWithout = observation.at;
  }
  return { lastWithAccess, firstWithout, lastLogin, lastKey };
}

/** One system's daily observations and the stream they come from. */
export interface SystemTimeline {
  readonly stream: string;
  readonly observations: readonly SystemObservation[];
}

/** The account as one observation lists it, when it grants access there. */
export function withAccess(observation: SystemObservation, accountId: string): AccountRecord | undefined {
  const record = observation.accounts.get(accountId);
  return record && grantsAccess(record) ? record : undefined;
}

/** The account as the system's last observation of the period lists it, when it still grants access. */
export function activeAtEnd(timeline: SystemTimeline, accountId: string): AccountRecord | undefined {
  const last = timeline.observations[timeline.observations.length - 1];
  return last && withAccess(last, accountId);
}

/** The index of the first observation of the period listing the account with access; -1 when none does. */
export function firstWithAccess(timeline: SystemTimeline, accountId: string): number {
  return timeline.observations.findIndex((observation) => withAccess(observation, accountId) !== undefined);
}

export function lastKeyOf(timeline: SystemTimeline, accountId: string): string {
  for (let i = timeline.observations.length - 1; i >= 0; i -= 1) {
    const key = timeline.observations[i]?.keys.get(accountId);
    if (key) return key;
  }
  return accountId;
}

import type { RecordedFinding } from '../checks/judge-period.js';
import { countStatuses, type FindingKind, type FindingStatus, type StatusCounts } from './finding-status.js';
import type { RowPlace } from './table-files.js';

/** One row of the exceptions register as a condition sees it: a finding, or a conflicting duplicate. */
export type Observation = Pick<
  RecordedFinding,
  | 'checkRef'
  | 'code'
  | 'stream'
  | 'subject'
  | 'keys'
  | 'occurredAt'
  | 'criteria'
  | 'isoControls'
  | 'description'
>;

/** A finding that repeats (every day for one principal, every hour for one region) seen as one condition. */
export interface Condition {
  /** The condition's first row of the register: its item key is the example, its row the link. */
  readonly first: Observation;
  readonly register: RowPlace;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly observations: number;
  /** What the latest observation said (an unused key's day count grows from one day to the next). */
  readonly latestDescription: string;
  /** A deviation, or evidence pending collection or unreadable (same code, so the same for all its rows). */
  readonly status: FindingStatus;
  readonly kind: FindingKind;
  /** A state finding seen in the last observation of its stream in the period; never an event finding. */
  readonly open: boolean;
}

/** A stream's last observation of the period: the window of its cadence that holds its latest item. */
export interface LastObservation {
  readonly start: number;
  /** Items of that window with a finding: a finding about one of them is seen in the last observation. */
  readonly flaggedKeys: ReadonlySet<string>;
}

/** Per criterion: how many conditions of each status, how many deviations still open, and the first. */
export interface CriterionConditions {
  readonly count: number;
  readonly statuses: StatusCounts;
  /** Deviations (state findings) open at period end. */
  readonly open: number;
  /** The 0-based position of its first condition among all conditions. */
  readonly firstIndex: number;
}

interface Group {
  readonly first: Observation;
  readonly register: RowPlace;
  firstSeen: number;
  lastSeen: number;
  observations: number;
  latest: Observation;
  /** Some observation is about an item of its stream's last observation. */
  seenLast: boolean;
}

/**
 * Same check (at the same version), same finding code, same stream, same subject: one condition, whether
 * the observations are consecutive or not. A finding without a subject is about its item alone, so it stays
 * a condition of its own (keyed by its item key).
 */
export function conditionKey(observation: Observation): string {
  const about =
    observation.subject === undefined
      ? `item\u0000${observation.keys[0] ?? ''}`
      : `subject\u0000${observation.subject}`;
  return [observation.checkRef, observation.code, observation.stream, about].join('\u0000');
}

/**
 * Groups the register's rows into conditions as they are written. The map is keyed by condition and holds
 * references to observations the period's findings hold anyway, never a copy of every finding.
 */
export class ConditionGroups {
  private readonly groups = new Map<string, Group>();

  constructor(
    /** Per stream, its last observation of the period; undefined when it had no item in the period. */
    private readonly lastObservation: (stream: string) => LastObservation | undefined,
    /** What an observation counts as and its kind of finding, as its check declares its code. */
    private readonly classify: (observation: Observation) => {
      status: FindingStatus;
      kind: FindingKind;
    } = () => ({ status: 'deviation', kind: 'state' }),
  ) {}

  /**
   * In the last observation: the finding is about an item of it (a leaver's account still listed on the
   * last day, whatever day the finding is dated), or happened in it.
   */
  private inLastObservation(observation: Observation): boolean {
    const last = this.lastObservation(observation.stream);
    if (!last) return false;
    return last.flaggedKeys.has(observation.keys[0] ?? '') || observation.occurredAt >= last.start;
  }

  /** Adds one register row, in register order: the first row of a condition is the one it links to. */
  add(observation: Observation, register: RowPlace): void {
    const key = conditionKey(observation);
    const group = this.groups.get(key);
    const seenLast = this.inLastObservation(observation);
    if (!group) {
      this.groups.set(key, {
        first: observation,
        register,
        firstSeen: observation.occurredAt,
        lastSeen: observation.occurredAt,
        observations: 1,
        latest: observation,
        seenLast,
      });
      return;
    }
    group.observations += 1;
    group.seenLast ||= seenLast;
    group.firstSeen = Math.min(group.firstSeen, observation.occurredAt);
    if (observation.occurredAt >= group.lastSeen) {
      group.lastSeen = observation.occurredAt;
      group.latest = observation;
    }
  }

  /**
   * Open at period end: seen in the last observation of its stream. A stream with no item in the period
   * (findings about things outside it) counts its latest condition as its last observation.
   */
  private openAt(): (condition: Group) => boolean {
    const latestSeen = new Map<string, number>();
    for (const group of this.groups.values()) {
      const stream = group.first.stream;
      if (this.lastObservation(stream)) continue;
      latestSeen.set(stream, Math.max(latestSeen.get(stream) ?? -Infinity, group.lastSeen));
    }
    return (group) => {
      const latest = latestSeen.get(group.first.stream);
      return latest === undefined ? group.seenLast : group.lastSeen >= latest;
    };
  }

  /**
   * The conditions in the order of their first register row (stream, then first seen, then item key),
   * once every row is added. Computed once per register: its CSV, its sheet and the index share the list.
   */
  conditions(): readonly Condition[] {
    const open = this.openAt();
    return [...this.groups.values()].map((group) => {
      const { status, kind } = this.classify(group.first);
      return {
        first: group.first,
        register: group.register,
        firstSeen: group.firstSeen,
        lastSeen: group.lastSeen,
        observations: group.observations,
        latestDescription: group.latest.description,
        status,
        kind,
        open: kind === 'state' && open(group),
      };
    });
  }
}

/** Conditions per criterion (a condition of several criteria counts for each, as the register does). */
export function conditionsByCriterion(
  conditions: readonly Condition[],
): ReadonlyMap<string, CriterionConditions> {
  const counts = new Map<
    string,
    { count: number; statuses: Record<FindingStatus, number>; open: number; firstIndex: number }
  >();
  conditions.forEach((condition, index) => {
    for (const criterion of condition.first.criteria) {
      const seen = counts.get(criterion) ?? {
        count: 0,
        statuses: countStatuses([]),
        open: 0,
        firstIndex: index,
      };
      seen.count += 1;
      seen.statuses[condition.status] += 1;
      if (condition.open && condition.status === 'deviation') seen.open += 1;
      counts.set(criterion, seen);
    }
  });
  return counts;
}

import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';
import type { Finding } from './check.js';
import type { CheckInstance } from './check-set.js';
import { FACT_UNREADABLE, FindingCodes, type FindingStatus, type StatusCounts } from './finding-codes.js';
import { StoreFacts } from './store-facts.js';

export { FACT_UNREADABLE };

/** A finding as outputs show it: what the check said, and which check at which version said it. */
export interface RecordedFinding extends Finding {
  readonly check: string;
  readonly checkVersion: number;
  /** `id@version`. */
  readonly checkRef: string;
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
}

/** Every finding of a period, and the same findings indexed by the item they mark. */
export class PeriodFindings {
  private readonly byItem = new Map<string, RecordedFinding[]>();
  /** What each finding counts as, from its check's declared codes. */
  readonly codes: FindingCodes;

  constructor(
    readonly period: Window,
    readonly checks: readonly CheckInstance[],
    readonly findings: readonly RecordedFinding[],
  ) {
    this.codes = new FindingCodes(checks);
    for (const finding of findings) {
      const key = itemRef(finding.stream, finding.keys[0] ?? '');
      const list = this.byItem.get(key);
      if (list) list.push(finding);
      else this.byItem.set(key, [finding]);
    }
  }

  /** The findings whose primary item is this one (the population row they mark). */
  forItem(stream: string, key: string): readonly RecordedFinding[] {
    return this.byItem.get(itemRef(stream, key)) ?? [];
  }

  /** Items of a stream with at least one finding. */
  flaggedItems(stream: string): number {
    let count = 0;
    const prefix = `${stream}\u0000`;
    for (const key of this.byItem.keys()) if (key.startsWith(prefix)) count += 1;
    return count;
  }

  /**
   * What an item with findings counts as: a deviation if any of its findings is one, else evidence
   * pending collection if any is, else evidence unreadable; undefined for an item without findings.
   */
  itemStatus(stream: string, key: string): FindingStatus | undefined {
    const statuses = new Set(this.forItem(stream, key).map((finding) => this.codes.status(finding)));
    if (statuses.has('deviation')) return 'deviation';
    if (statuses.has('evidence pending collection')) return 'evidence pending collection';
    return statuses.size ? 'evidence unreadable' : undefined;
  }

  /** Items of a stream with findings, by what they count as (see `itemStatus`). */
  flaggedItemsByStatus(stream: string): StatusCounts {
    const counts: Record<FindingStatus, number> = {
      deviation: 0,
      'evidence pending collection': 0,
      'evidence unreadable': 0,
    };
    const prefix = `${stream}\u0000`;
    for (const key of this.byItem.keys()) {
      if (!key.startsWith(prefix)) continue;
      const status = this.itemStatus(stream, key.slice(prefix.length));
      if (status) counts[status] += 1;
    }
    return counts;
  }

  forCheck(id: string): readonly RecordedFinding[] {
    return this.findings.filter((finding) => finding.check === id);
  }
}

const itemRef = (stream: string, key: string) => `${stream}\u0000${key}`;

/**
 * Runs the given checks over the stored facts of a period. Each check sees only the streams it declares;
 * findings keep each check's own order, checks follow their given order, so the result is deterministic.
 */
export async function judgePeriod(
  store: EvidenceStore,
  checks: readonly CheckInstance[],
  collected: ReadonlySet<string>,
  period: Window,
): Promise<PeriodFindings> {
  const findings: RecordedFinding[] = [];
  for (const check of checks) {
    const { definition } = check;
    const cite = (finding: Finding): RecordedFinding => ({
      ...finding,
      check: check.id,
      checkVersion: check.version,
      checkRef: check.ref,
      criteria: definition.criteria,
      isoControls: definition.isoControls,
    });
    const facts = new StoreFacts(store, check.id, new Set(definition.streams), collected, (fact) =>
      findings.push(
        cite({
          code: FACT_UNREADABLE,
          stream: fact.stream,
          keys: [fact.key],
          occurredAt: fact.occurredAt,
          description: `the stored item does not have the shape ${check.ref} reads (${fact.problem})`,
        }),
      ),
    );
    for await (const finding of definition.judge({ facts, period, policy: check.policy }))
      findings.push(cite(finding));
  }
  return new PeriodFindings(period, checks, findings);
}

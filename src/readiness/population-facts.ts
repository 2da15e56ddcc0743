import type { StatusCounts } from '../checks/finding-codes.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import { EvidenceRepository } from '../store/evidence-repository.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';

export interface PopulationFacts {
  readonly items: number;
  /**
   * Items (latest versions) the checks flagged in the period, by what they count as: an item with a
   * deviation is one; an item whose findings are all evidence pending collection or unreadable is not.
   */
  readonly flagged: StatusCounts;
}

/** Population size (counted in the store without reading rows) and flagged items of a stream over a period. */
export async function populationFacts(
  store: EvidenceStore,
  stream: string,
  period: Window,
  findings: PeriodFindings,
): Promise<PopulationFacts> {
  const evidence = new EvidenceRepository(store);
  return {
    items: await evidence.countPopulation(stream, period.start, period.end),
    flagged: findings.flaggedItemsByStatus(stream),
  };
}

import type { PeriodFindings } from '../checks/judge-period.js';
import { EvidenceRepository } from '../store/evidence-repository.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';

export interface PopulationFacts {
  readonly items: number;
  /** Items (latest versions) the checks flagged in the period. */
  readonly flaggedItems: number;
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
    flaggedItems: findings.flaggedItems(stream),
  };
}

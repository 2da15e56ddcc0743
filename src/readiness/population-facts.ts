import { EvidenceRepository } from '../store/evidence-repository.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';

export interface PopulationFacts {
  readonly items: number;
  /** Items (latest versions) carrying at least one exception. */
  readonly flaggedItems: number;
}

/** Population size and flagged items of a stream over a period, counted in the store without reading rows. */
export async function populationFacts(
  store: EvidenceStore,
  stream: string,
  period: Window,
): Promise<PopulationFacts> {
  const evidence = new EvidenceRepository(store);
  return {
    items: await evidence.countPopulation(stream, period.start, period.end),
    flaggedItems: await evidence.countFlagged(stream, period.start, period.end),
  };
}

import { createHash } from 'node:crypto';
import type { PeriodFindings } from '../checks/judge-period.js';
import type { EvidenceRepository } from '../store/evidence-repository.js';
import type { Window } from '../time.js';
import { toPopulationRow, type PopulationRow } from '../export/population-columns.js';

export interface SampledRow {
  readonly rank: string;
  readonly row: PopulationRow;
}

export interface Sample {
  readonly populationSize: number;
  /** In occurredAt order, as an auditor walks through them. */
  readonly rows: readonly SampledRow[];
}

/** The rank of an item: SHA-256 of the seed and its natural key. Independent of storage order and database. */
export function sampleRank(seed: string, stream: string, key: string): string {
  return createHash('sha256').update(`${seed}\n${stream}\n${key}`).digest('hex');
}

/**
 * Draws `size` items uniformly at random, reproducibly: every item gets a pseudo-random rank from the seed
 * and its key, and the sample is the `size` lowest ranks. One pass over the population, memory bounded by
 * the sample size; the same seed over the same population always gives the same sample.
 */
export async function drawSample(
  evidence: EvidenceRepository,
  stream: string,
  period: Window,
  size: number,
  seed: string,
  /** The period's findings, shown on each sampled row. */
  findings?: PeriodFindings,
): Promise<Sample> {
  const kept: SampledRow[] = [];
  let populationSize = 0;
  for await (const stored of evidence.population(stream, period.start, period.end)) {
    populationSize += 1;
    const rank = sampleRank(seed, stream, stored.item_key);
    if (kept.length === size && rank >= kept[kept.length - 1]!.rank) continue;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (kept[middle]!.rank < rank) low = middle + 1;
      else high = middle;
    }
    kept.splice(low, 0, { rank, row: toPopulationRow(stored, findings?.forItem(stream, stored.item_key)) });
    if (kept.length > size) kept.pop();
  }
  const rows = [...kept].sort(
    (a, b) => a.row.occurredAt - b.row.occurredAt || (a.row.key < b.row.key ? -1 : 1),
  );
  return { populationSize, rows };
}

import { sql } from 'kysely';
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
  const items = await new EvidenceRepository(store).countPopulation(stream, period.start, period.end);
  const flagged = await store.db
    .selectFrom('evidence_items as e')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('e.stream', '=', stream)
    .where('e.occurred_at', '>=', period.start)
    .where('e.occurred_at', '<', period.end)
    .where('e.exception_count', '>', 0)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('evidence_items as newer')
            .select(sql`1`.as('one'))
            .whereRef('newer.stream', '=', 'e.stream')
            .whereRef('newer.item_key', '=', 'e.item_key')
            .whereRef('newer.version', '>', 'e.version'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return { items, flaggedItems: Number(flagged.count) };
}

import { buildCheckSet } from '../../../src/checks/check-set.js';
import type { CheckDefinition, FactsReader, Finding } from '../../../src/checks/check.js';
import { StoreFacts } from '../../../src/checks/store-facts.js';
import { Catalogue } from '../../../src/catalogue/catalogue.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import type { Window } from '../../../src/time.js';
import { MemoryFacts, type MemoryItem } from '../../support/memory-facts.js';

/** The engine's facts interface over the store; an unreadable stored fact fails the test. */
export function storeFacts(
  store: EvidenceStore,
  declared: readonly string[],
  collected: readonly string[],
): FactsReader {
  return new StoreFacts(store, 'test', new Set(declared), new Set(collected), (fact) => {
    throw new Error(`unreadable fact ${fact.stream} ${fact.key}: ${fact.problem}`);
  });
}

/** Facts held in memory (latest item per key wins), limited to the declared streams. */
export function memoryFacts(
  declared: readonly string[],
  items: Record<string, readonly MemoryItem[]>,
): FactsReader {
  return new MemoryFacts(items, new Set(declared));
}

/** Runs a check's judge with its policy built as the engine builds it from `checks.<id>` settings. */
export async function judge<TPolicy>(
  check: CheckDefinition<TPolicy>,
  facts: FactsReader,
  period: Window,
  settings: Record<string, unknown> = {},
): Promise<Finding[]> {
  const instance = buildCheckSet([check], { [check.id]: settings }, Catalogue.load()).check(check.id);
  const findings: Finding[] = [];
  for await (const finding of check.judge({ facts, period, policy: instance.policy as TPolicy }))
    findings.push(finding);
  return findings;
}

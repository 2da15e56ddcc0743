import type { Planned } from './backfill.js';

/**
 * Splits a backfill into rounds collected one after another: every window of an unordered stream goes in
 * the first round beside the first window of each stream that diffs against its previous window; each
 * later round holds the next window of those streams. A round settles (retries included) before the
 * next is enqueued, so such a stream never sees day D+1 before day D is stored with its cursor.
 */
export function windowRounds(planned: readonly Planned[]): Planned[][] {
  const rounds: Planned[][] = [planned.filter((entry) => !entry.stream.definition.windowsInOrder)];
  const chains = new Map<string, Planned[]>();
  for (const entry of planned)
    if (entry.stream.definition.windowsInOrder)
      chains.set(entry.stream.id, [...(chains.get(entry.stream.id) ?? []), entry]);
  for (const chain of chains.values())
    chain
      .sort((a, b) => a.window.start - b.window.start)
      .forEach((entry, index) => (rounds[index] ??= []).push(entry));
  return rounds.filter((round) => round.length > 0);
}

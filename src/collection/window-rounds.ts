import type { Planned } from './backfill.js';

/**
 * Splits a backfill into rounds collected one after another: every window of an unordered stream goes in
 * the first round beside the first window of each stream that diffs against its previous window; each
 * later round holds the next window of those streams. A round settles (retries included) before the
 * next is enqueued, so such a stream never sees day D+1 before day D is stored with its cursor.
 */
export function windowRounds(planned: readonly Planned[]): Planned[][] {
  const first: Planned[] = [];
  const ordered = new Map<string, Planned[]>();
  for (const entry of planned) {
    if (!entry.stream.definition.windowsInOrder) first.push(entry);
    else ordered.set(entry.stream.id, [...(ordered.get(entry.stream.id) ?? []), entry]);
  }
  const chains = [...ordered.values()].map((chain) => chain.sort((a, b) => a.window.start - b.window.start));
  const rounds: Planned[][] = [first];
  for (let index = 0; chains.some((chain) => index < chain.length); index += 1) {
    const round = chains.flatMap((chain) => (index < chain.length ? [chain[index]!] : []));
    if (index === 0) first.push(...round);
    else rounds.push(round);
  }
  return rounds.filter((round) => round.length > 0);
}

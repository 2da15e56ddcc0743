import type { DescriberInput } from './describer.js';
import { paragraph, table, todo, type Block } from './model.js';

/**
 * A component whose figure is the items of one stream's population in the period (each key once, its
 * latest version), grouped by `groupOf` into a table; the paragraph cites the population file.
 */
export async function countedComponent<T>(
  input: DescriberInput<T>,
  options: {
    readonly stream: string;
    /** The group an item belongs to (a project, a team), or undefined when its payload does not say. */
    readonly groupOf: (payload: unknown) => string | undefined;
    /** The sentence, given the count of the period. */
    readonly text: (total: number) => string;
    readonly headers: readonly [group: string, count: string];
    /** Said, marked to complete, when the stream is not collected here. */
    readonly missing: string;
  },
): Promise<Block[]> {
  if (!input.streams.includes(options.stream)) return [todo(options.missing)];
  const counts = new Map<string, number>();
  let total = 0;
  for await (const fact of input.facts(options.stream)) {
    total += 1;
    const group = options.groupOf(fact.payload) ?? 'not recorded';
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  const cite = input.cite(options.stream);
  return [
    paragraph(options.text(total), cite ? [cite] : []),
    ...(total
      ? [
          table(
            options.headers,
            [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([group, n]) => [group, String(n)]),
          ),
        ]
      : []),
  ];
}

/**
 * GitHub's published rate-limit cost of a GraphQL query, worked out from its text as GitHub does: every
 * connection (a field given `first` or `last`) costs one request per node its parent connections could
 * return, assuming each returns its full `first`; the query costs max(1, round(requests / 100)) points.
 * https://docs.github.com/en/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
 */

type Token = { kind: 'name' | 'punct' | 'number' | 'variable'; text: string };

function tokens(query: string): Token[] {
  const out: Token[] = [];
  const pattern =
    /#[^\n]*|"""[\s\S]*?"""|"(?:[^"\\]|\\.)*"|(\.\.\.)|(\$\w+)|(-?\d+(?:\.\d+)?)|(\w+)|([{}():!=@[\]])/g;
  for (const match of query.matchAll(pattern)) {
    if (match[1]) out.push({ kind: 'punct', text: '...' });
    else if (match[2]) out.push({ kind: 'variable', text: match[2].slice(1) });
    else if (match[3]) out.push({ kind: 'number', text: match[3] });
    else if (match[4]) out.push({ kind: 'name', text: match[4] });
    else if (match[5]) out.push({ kind: 'punct', text: match[5] });
  }
  return out;
}

/** The `first`/`last` of an argument list starting at `open` (a '('), and the index after its ')'. */
function pageSize(
  list: readonly Token[],
  open: number,
  variables: Record<string, unknown>,
): { size: number | undefined; next: number } {
  let depth = 0;
  let size: number | undefined;
  for (let at = open; at < list.length; at += 1) {
    const token = list[at]!;
    if (token.text === '(' || token.text === '[') depth += 1;
    else if (token.text === ')' || token.text === ']') {
      depth -= 1;
      if (depth === 0) return { size, next: at + 1 };
    } else if (
      depth === 1 &&
      token.kind === 'name' &&
      (token.text === 'first' || token.text === 'last') &&
      list[at + 1]?.text === ':'
    ) {
      const value = list[at + 2];
      const n =
        value?.kind === 'number'
          ? Number(value.text)
          : value?.kind === 'variable'
            ? Number(variables[value.text])
            : NaN;
      if (Number.isFinite(n)) size = Math.max(size ?? 0, n);
    }
  }
  return { size, next: list.length };
}

/** The requests GitHub counts for the query: the sum over its connections of their parents' node counts. */
export function queryRequests(query: string, variables: Record<string, unknown> = {}): number {
  const list = tokens(query);
  const multipliers: number[] = [1];
  let requests = 0;
  let pending = 1; // the multiplier the next selection set opens with
  for (let at = 0; at < list.length;) {
    const token = list[at]!;
    const parent = multipliers[multipliers.length - 1] ?? 1;
    if (token.text === '{') {
      multipliers.push(pending);
      at += 1;
    } else if (token.text === '}') {
      multipliers.pop();
      pending = multipliers[multipliers.length - 1] ?? 1;
      at += 1;
    } else if (token.kind === 'name' && list[at + 1]?.text === '(') {
      // The operation's own variable definitions carry `$name: Type`, never a bare `first:`.
      const { size, next } = pageSize(list, at + 1, variables);
      if (size !== undefined && multipliers.length > 1) {
        requests += parent;
        pending = parent * size;
      } else pending = parent;
      at = next;
    } else {
      if (token.kind === 'name') pending = parent;
      at += 1;
    }
  }
  return requests;
}

/** The points GitHub charges for one call of the query. */
export function queryCost(query: string, variables: Record<string, unknown> = {}): number {
  return Math.max(1, Math.round(queryRequests(query, variables) / 100));
}

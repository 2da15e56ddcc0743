import { readFileSync } from 'node:fs';

interface RecordedExchange {
  method: string;
  path: string;
  status: number;
  response: unknown;
  headers: Record<string, string>;
}

/**
 * A response recorded by @octokit/fixtures, used as data only: its bundled nock 13 does not intercept
 * Octokit 22's fetch, so the tests serve these bodies through nock 14 themselves.
 */
export function recorded(scenario: string, method: string, path: string, nth = 0): RecordedExchange {
  const file = new URL(
    `../../../node_modules/@octokit/fixtures/scenarios/api.github.com/${scenario}/normalized-fixture.json`,
    import.meta.url,
  );
  const exchanges = JSON.parse(readFileSync(file, 'utf8')) as RecordedExchange[];
  const found = exchanges.filter((e) => e.method === method && e.path === path)[nth];
  if (!found) throw new Error(`@octokit/fixtures ${scenario} has no ${method} ${path} #${nth}`);
  return found;
}

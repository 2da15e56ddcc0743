import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';
import type { GithubClient } from '../../../connectors/github/client.js';
import { productionChanges } from '../../../connectors/github/production-changes.js';
import type { CollectedItem, Cursor } from '../../../src/stream.js';
import type { Window } from '../../../src/time.js';
import { silentLogger } from './harness.js';
import { recorded } from './recorded.js';

export const API = 'https://api.github.com';
/** The repository @octokit/fixtures recorded (default branch "master"). */
export const REPO = 'octokit-fixture-org/hello-world';
export const PATH = `/repos/${REPO}`;
export const repository = recorded('get-repository', 'get', PATH);
/** The recorded repository's `pushed_at`, which a cursor's head carries (quiet-branches.ts). */
export const PUSHED_AT = (repository.response as { pushed_at: string }).pushed_at;

/** The recorded repository and an activity feed with no force pushes: what every window reads first. */
export function repositoryAndActivity(scope: nock.Scope = nock(API)): nock.Scope {
  return scope
    .get(PATH)
    .reply(200, repository.response as nock.Body)
    .get(`${PATH}/activity`)
    .query(true)
    .reply(200, []);
}

/** No real network in a nock test (the local sandboxes and Redis stay reachable); no interceptor outlives its test. */
export function offline(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => {
    nock.cleanAll();
  });
}

/** One window of production changes straight from the stream's `collect`: its items and the cursor it returns. */
export async function collectWindow(client: GithubClient, window: Window, cursor: Cursor | undefined) {
  const items: CollectedItem<Record<string, unknown>>[] = [];
  const run = productionChanges.collect(window, cursor, {
    client,
    logger: silentLogger,
    signal: new AbortController().signal,
    acquire: async () => {},
    reject: async () => {},
  });
  for (let next = await run.next(); ; next = await run.next()) {
    if (next.done) return { items, cursor: next.value ?? undefined };
    items.push(next.value as CollectedItem<Record<string, unknown>>);
  }
}

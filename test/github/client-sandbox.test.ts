import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient } from '../../connectors/github/client.js';
import { githubConnector } from '../../connectors/github/index.js';
import { orgAccess } from '../../connectors/github/org-access.js';
import { productionChanges } from '../../connectors/github/production-changes.js';
import { repositoriesInScope } from '../../connectors/github/repositories.js';
import { RateLimitedError, UsageError } from '../../src/errors.js';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { DAY } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import {
  fastTuning,
  githubClient,
  githubConfig,
  githubRunner,
  storedItems,
  streamInstance,
} from './support/harness.js';

const NOW = Date.UTC(2026, 5, 15, 8);
const TODAY = Date.UTC(2026, 5, 15);
const temp = mkdtempSync(path.join(tmpdir(), 'ew-github-'));

describe('GitHub client against the sandbox', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 9, now: NOW, days: 3, repos: 3 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('authenticates as a GitHub App installation with a private key from a file', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const privateKeyFile = path.join(temp, 'app.pem');
    writeFileSync(privateKeyFile, privateKey);
    const config = githubConfig({
      org: 'acme',
      baseUrl: sandbox.url,
      app: { appId: 12, privateKeyFile, installationId: 42 },
    });
    const before = sandbox.requests.byRoute['POST /app/installations/:n/access_tokens'] ?? 0;
    // A generous timeout: signing the app's JWT and minting the token may be slow on a busy machine.
    const repos = await repositoriesInScope(
      createGithubClient(config, {}, { ...fastTuning, timeoutMs: 20_000 }),
    );
    expect(repos.map((r) => r.fullName)).toEqual(['acme/api', 'acme/infra', 'acme/web']);
    expect(sandbox.requests.byRoute['POST /app/installations/:n/access_tokens']).toBe(before + 1);
    expect(sandbox.requests.lastAuthorization).toBe('token ghs_sandbox42');
  });

  it('reads the token from tokenFile; an empty or missing file is a config error', async () => {
    const tokenFile = path.join(temp, 'token');
    writeFileSync(tokenFile, 'ghp_fromfile123\n');
    const client = createGithubClient(
      githubConfig({ org: 'acme', baseUrl: sandbox.url, tokenFile }),
      {},
      fastTuning,
    );
    await repositoriesInScope(client);
    expect(sandbox.requests.lastAuthorization).toBe('token ghp_fromfile123');
    writeFileSync(tokenFile, '');
    const create = (file: string) =>
      Promise.resolve().then(() =>
        githubConnector.createClient(githubConfig({ org: 'acme', tokenFile: file }), {}),
      );
    await expect(create(tokenFile)).rejects.toThrow(UsageError);
    await expect(create(path.join(temp, 'nope'))).rejects.toThrow(/connectors\.github\.tokenFile/);
  });

  it('an exhausted primary limit fails the run with RateLimitedError (the job is delayed), after one request', async () => {
    const { store, url } = await freshStore('sqlite');
    sandbox.faults.set({ primaryLimitExhausted: true, primaryResetSeconds: 300 });
    try {
      const config = githubConfig({ org: 'acme', baseUrl: sandbox.url });
      const before = sandbox.requests.total;
      const outcome = await githubRunner(store, githubClient(config), { now: NOW }).collect({
        stream: streamInstance(productionChanges, config),
        window: { start: TODAY - DAY, end: TODAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(sandbox.requests.total - before).toBe(1);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toBeInstanceOf(RateLimitedError);
      expect((outcome.error as RateLimitedError).retryAfterMs).toBeGreaterThan(200_000);
    } finally {
      sandbox.faults.reset();
      await store.close();
      await dropStore(url);
    }
  });

  it('a token revoked mid-way: the run fails AUTH_INVALID after a single request', async () => {
    const { store, url } = await freshStore('sqlite');
    sandbox.faults.set({ revokedToken: true });
    try {
      const config = githubConfig({ org: 'acme', baseUrl: sandbox.url });
      const before = sandbox.requests.total;
      const outcome = await githubRunner(store, githubClient(config), { now: NOW }).collect({
        stream: streamInstance(orgAccess, config),
        window: { start: TODAY - DAY, end: TODAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.error).toMatchObject({ code: 'AUTH_INVALID', retry: 'fatal' });
      expect(sandbox.requests.total - before).toBe(1);
    } finally {
      sandbox.faults.reset();
      await store.close();
      await dropStore(url);
    }
  });

  it('snapshot polling sends ETags: an unchanged org costs 304s, with the same evidence', async () => {
    const { store, url } = await freshStore('sqlite');
    try {
      const config = githubConfig({ org: 'acme', baseUrl: sandbox.url });
      const client = githubClient(config);
      const stream = streamInstance(orgAccess, config);
      const clock = { now: TODAY + 3_600_000 };
      const runner = githubRunner(store, client, clock);
      await runner.collect({
        stream,
        window: { start: TODAY - DAY, end: TODAY },
        trigger: 'schedule',
        attempt: 1,
      });
      const graphql = () => sandbox.requests.byRoute['POST /graphql'] ?? 0;
      const before = {
        total: sandbox.requests.total,
        notModified: sandbox.requests.notModified,
        graphql: graphql(),
      };
      clock.now += DAY;
      const outcome = await runner.collect({
        stream,
        window: { start: TODAY, end: TODAY + DAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.status).toBe('succeeded');
      const requests = sandbox.requests.total - before.total;
      // Every REST read is a 304; the SAML identities come from one GraphQL POST, which has no ETag.
      expect(graphql() - before.graphql).toBe(1);
      expect(sandbox.requests.notModified - before.notModified).toBe(requests - 1);
      const items = await storedItems(store, stream.id);
      const day = (d: string) =>
        items.filter((i) => i.key.startsWith(d)).map((i) => JSON.stringify(i.payload));
      expect(day('2026-06-15').length).toBeGreaterThan(5);
      expect(day('2026-06-15')).toEqual(day('2026-06-14'));
    } finally {
      await store.close();
      await dropStore(url);
    }
  });
});

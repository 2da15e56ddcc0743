import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSnapshotModel } from './access-model.js';
import { GithubFaults } from './faults.js';
import { answerGraphql } from './graphql.js';
import { queryCost } from './query-cost.js';
import { groundTruthOf, type GroundTruth } from './ground-truth.js';
import { buildCommitModel, existsAt, newRepository, type SandboxOptions } from './org-model.js';
import { answerRest } from './rest-routes.js';
import { nameTicketsInTitles } from '../tickets/plan.js';
import { buildCompany } from '../company/index.js';
import { samlIdentitiesAt } from './membership.js';
import { sandboxClock, type SandboxClock } from '../sandbox-clock.js';

export type { SandboxOptions } from './org-model.js';

export interface GithubSandbox {
  /** Base URL for `connectors.github.baseUrl` (REST at /, GraphQL at /graphql). */
  readonly url: string;
  readonly groundTruth: GroundTruth;
  readonly faults: GithubFaults;
  /**
   * Requests answered so far, by route shape ("POST /graphql", "GET /repos/acme/api/activity"); how many
   * were conditional hits (304, free of rate-limit quota); and the last Authorization header seen.
   */
  readonly requests: {
    total: number;
    byRoute: Record<string, number>;
    notModified: number;
    lastAuthorization: string;
    /**
     * Rate-limit points charged, per budget as GitHub keeps them: `graphql` by the query cost formula
     * (src/sandbox/github/query-cost.ts), `core` one per REST call answered (a 304 is free).
     */
    points: { graphql: number; core: number };
    /** REST calls charged (`core` points), by route as GitHub's docs name it: where the REST budget goes. */
    coreByRoute: Record<string, number>;
    /** GraphQL points by operation name (`ProductionChanges`, `SamlIdentities`, ...; `anonymous`). */
    graphqlByOperation: Record<string, number>;
  };
  /** Moves the sandbox's clock, which decides whether the planted access/protection changes have happened. */
  setNow(at: number): void;
  stop(): Promise<void>;
}

function routeShape(method: string, pathname: string): string {
  return `${method} ${pathname.replace(/\/[0-9a-f]{40}(?=\/|$)/g, '/:sha').replace(/\/\d+(?=\/|$)/g, '/:n')}`;
}

/** A route shape with its owner, repository, org, branch and compare range left out: one key per REST route. */
function routeTemplate(shape: string): string {
  return shape
    .replace(/^(\w+ \/repos)\/[^/]+\/[^/]+/, '$1/{owner}/{repo}')
    .replace(/\/orgs\/[^/]+/, '/orgs/{org}')
    .replace(/\/compare\/.+$/, '/compare/{basehead}')
    .replace(/\/branches\/[^/]+/, '/branches/{branch}');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a fake GitHub (REST and GraphQL) on loopback serving a deterministic organisation built from the
 * seed, with a year of history and planted exceptions. See GroundTruth for what a connector must find.
 */
export async function startGithubSandbox(
  options: SandboxOptions & { clock?: SandboxClock } = {},
): Promise<GithubSandbox> {
  const seed = options.seed ?? 1;
  const startedAt = options.now ?? Date.now();
  const model = buildCommitModel({
    seed,
    now: startedAt,
    days: options.days ?? 365,
    repos: options.repos ?? 3,
    commitsPerDay: options.commitsPerDay ?? 2,
    bigRepoCommits: options.bigRepoCommits ?? 0,
    org: options.org ?? 'acme',
  });
  // The change tickets of the Jira and Linear sandboxes are named in pull request titles.
  nameTicketsInTitles(model);
  // Appended after the tickets are named: it has no commits, so no ticket either.
  if (options.newRepositoryAt !== undefined)
    model.repositories.push(newRepository(model, options.newRepositoryAt));
  const changesAt = options.changesAt ?? model.historyEnd;
  // Members are the seeded company's people, as in the Okta, Google and AWS sandboxes.
  const company = buildCompany({ seed, now: startedAt, days: options.days ?? 365 });
  const snapshots = buildSnapshotModel(model.repositories, company, changesAt);
  const groundTruth = groundTruthOf(model, snapshots, changesAt, company);
  const faults = new GithubFaults(seed);
  const { now, set } = options.clock ?? sandboxClock(options.now);
  const requests = {
    total: 0,
    byRoute: {} as Record<string, number>,
    notModified: 0,
    lastAuthorization: '',
    points: { graphql: 0, core: 0 },
    coreByRoute: {} as Record<string, number>,
    graphqlByOperation: {} as Record<string, number>,
  };
  const remaining = { graphql: 5_000, core: 5_000 };

  const handle = async (request: IncomingMessage, response: ServerResponse, api: string) => {
    const url = new URL(request.url ?? '/', api);
    const method = request.method ?? 'GET';
    const body = method === 'POST' ? await readBody(request) : '';
    const shape = routeShape(method, url.pathname);
    requests.total += 1;
    requests.byRoute[shape] = (requests.byRoute[shape] ?? 0) + 1;
    // Rate-limit resets are wall-clock times, whatever the model's clock says.
    const reset = Math.ceil(Date.now() / 1_000) + 3_600;
    const resource = shape.includes('graphql') ? 'graphql' : 'core';
    const send = (
      status: number,
      json: unknown,
      headers: Record<string, string> = {},
      truncate = false,
      cost = 1,
    ) => {
      const text = JSON.stringify(json);
      const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
      const notModified = status === 200 && method === 'GET' && request.headers['if-none-match'] === etag;
      if (!notModified) {
        requests.points[resource] += cost;
        if (resource === 'core') {
          const route = routeTemplate(shape);
          requests.coreByRoute[route] = (requests.coreByRoute[route] ?? 0) + cost;
        }
        remaining[resource] = Math.max(remaining[resource] - cost, 1);
      }
      const common = {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(remaining[resource]),
        'x-ratelimit-used': String(5_000 - remaining[resource]),
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': resource,
        ...(status === 200 && method === 'GET' ? { etag } : {}),
        ...headers,
      };
      if (notModified) {
        requests.notModified += 1;
        const { 'content-type': _type, ...headersOf304 } = common;
        response.writeHead(304, headersOf304).end();
        return;
      }
      const bytes = Buffer.from(text);
      response.writeHead(status, { ...common, 'content-length': String(bytes.length) });
      if (truncate) {
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        response.socket?.destroy();
        return;
      }
      response.end(bytes);
    };

    const auth = request.headers.authorization ?? '';
    requests.lastAuthorization = auth;
    const appTokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.test(url.pathname);
    if (!auth) return send(401, { message: 'Requires authentication' });
    const fault = appTokenRoute ? undefined : faults.next();
    switch (fault) {
      case 'revoked':
        return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      case 'primary_rate_limit':
        return send(
          403,
          {
            message: 'API rate limit exceeded for installation.',
            documentation_url: 'https://docs.github.com/rest/rate-limit',
          },
          {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1_000) + faults.settings.primaryResetSeconds),
          },
        );
      case 'secondary_rate_limit':
        return send(
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          },
          { 'retry-after': String(faults.settings.retryAfterSeconds) },
        );
      case 'server_error':
        return send(502, { message: 'Server Error' });
      case 'timeout':
        await new Promise((resolve) => setTimeout(resolve, faults.settings.timeoutMs));
        if (response.destroyed || request.destroyed) return;
        return send(504, { message: 'We could not respond in time' });
      default:
        break;
    }
    const truncate = fault === 'truncated';
    if (appTokenRoute && method === 'POST')
      return send(201, {
        token: `ghs_sandbox${url.pathname.split('/')[3]}`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: { contents: 'read', members: 'read' },
        repository_selection: 'all',
      });
    if (method === 'POST' && url.pathname.replace(/^\/api/, '') === '/graphql') {
      let parsed: { query?: unknown; variables?: Record<string, unknown> } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return send(400, { message: 'Problems parsing JSON' });
      }
      const existing = model.repositories.filter((repo) => existsAt(repo, now()));
      const reply = answerGraphql(
        existing,
        model.org,
        parsed,
        () => (options.samlSso === false ? null : samlIdentitiesAt(company, now())),
        now(),
      );
      const query = typeof parsed.query === 'string' ? parsed.query : '';
      const cost = queryCost(query, parsed.variables ?? {});
      const operation = /^\s*query\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
      requests.graphqlByOperation[operation] = (requests.graphqlByOperation[operation] ?? 0) + cost;
      const data = (reply.json as { data?: Record<string, unknown> }).data;
      // `rateLimit` itself is free: it reports what this query is charged and what is left after it.
      if (data && /\brateLimit\s*\{/.test(query))
        data.rateLimit = { cost, remaining: Math.max(remaining.graphql - cost, 1) };
      return send(reply.status, reply.json, {}, truncate, cost);
    }
    if (method !== 'GET') return send(404, { message: 'Not Found' });
    const reply = answerRest(
      {
        api,
        model,
        now,
        snapshot: () => snapshots.stateAt(now()),
        hideTwoFactor: () => faults.settings.hideTwoFactor,
      },
      url,
    );
    return send(reply.status, reply.json, reply.headers, truncate);
  };

  let api = '';
  const server = createServer((request, response) => {
    handle(request, response, api).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  api = `http://${host}:${address.port}`;
  return {
    url: api,
    groundTruth,
    faults,
    requests,
    setNow: set,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

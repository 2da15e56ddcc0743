import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DAY } from '../../time.js';
import { buildCompany, type Company } from '../company/index.js';
import { verifyAssertion } from '../jwt-assertion.js';
import { PeopleFaults } from '../people-faults.js';
import { sandboxClock, type SandboxClock } from '../sandbox-clock.js';
import { oktaFactorsAt, oktaRolesAt, oktaUsersAt, type OktaLogEvent } from './model.js';
import { buildSystemLog } from './system-log.js';

export interface OktaSandboxOptions {
  readonly seed?: number;
  readonly now?: number;
  /** A clock shared with other sandboxes (the demo steps one through the period); default: its own. */
  readonly clock?: SandboxClock;
  readonly days?: number;
  readonly host?: string;
  readonly port?: number;
  /** Calls per minute before 429 (Okta's limits are per endpoint; one bucket per route here). */
  readonly perMinute?: number;
}

export const OKTA_SANDBOX_CLIENT_ID = '0oasandboxserviceapp';

export interface OktaSandbox {
  readonly url: string;
  readonly company: Company;
  /** Every System Log event of the period (lifecycle, membership, privilege and MFA events and the noise). */
  readonly systemLog: readonly OktaLogEvent[];
  readonly faults: PeopleFaults;
  readonly requests: { total: number; byRoute: Record<string, number>; lastAuthorization: string };
  /** For the OAuth 2.0 service app path: the private key whose public half the token endpoint trusts. */
  readonly privateKeyPem: string;
  readonly clientId: string;
  setNow(at: number): void;
  stop(): Promise<void>;
}

const RETENTION_MS = 90 * DAY;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a fake Okta (Users API, factors, roles, System Log, OAuth token endpoint) serving the seeded company. */
export async function startOktaSandbox(options: OktaSandboxOptions = {}): Promise<OktaSandbox> {
  const seed = options.seed ?? 42;
  const company = buildCompany({
    seed,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
  });
  const systemLog = buildSystemLog(company);
  const faults = new PeopleFaults(seed);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const issued = new Set<string>();
  const { now, set } = options.clock ?? sandboxClock(options.now);
  const perMinute = options.perMinute ?? 600;
  const buckets = new Map<string, { minute: number; used: number }>();
  const requests = { total: 0, byRoute: {} as Record<string, number>, lastAuthorization: '' };
  let base = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', base);
    const method = request.method ?? 'GET';
    const route = `${method} ${url.pathname.replace(/\/00u[a-z0-9]+/g, '/:id')}`;
    requests.total += 1;
    requests.byRoute[route] = (requests.byRoute[route] ?? 0) + 1;
    // Rate limits are wall-clock, whatever the model's clock says.
    const minute = Math.floor(Date.now() / 60_000);
    const bucket = buckets.get(route)?.minute === minute ? buckets.get(route)! : { minute, used: 0 };
    buckets.set(route, bucket);
    bucket.used += 1;
    const limits = (remaining: number, reset = (minute + 1) * 60) => ({
      'x-rate-limit-limit': String(perMinute),
      'x-rate-limit-remaining': String(Math.max(remaining, 0)),
      'x-rate-limit-reset': String(reset),
    });
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...limits(perMinute - bucket.used),
        ...headers,
      });
      response.end(JSON.stringify(json));
    };
    const error = (status: number, code: string, summary: string, headers: Record<string, string> = {}) =>
      send(
        status,
        {
          errorCode: code,
          errorSummary: summary,
          errorLink: code,
          errorId: `oae${requests.total}`,
          errorCauses: [],
        },
        headers,
      );

    if (method === 'POST' && url.pathname === '/oauth2/v1/token') {
      const form = new URLSearchParams(await readBody(request));
      const check = verifyAssertion(
        form.get('client_assertion') ?? '',
        publicKeyPem,
        `${base}/oauth2/v1/token`,
      );
      if (!check.ok || check.claims.iss !== OKTA_SANDBOX_CLIENT_ID)
        return send(401, {
          error: 'invalid_client',
          error_description: check.ok ? 'unknown client' : check.reason,
        });
      const token = `okta-sandbox-at-${issued.size + 1}`;
      issued.add(token);
      return send(200, {
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: token,
        scope: form.get('scope'),
      });
    }
    const authorization = request.headers.authorization ?? '';
    requests.lastAuthorization = authorization;
    const fault = faults.next();
    if (
      fault === 'expired_token' ||
      !(/^SSWS \S{6,}$/.test(authorization) || issued.has(authorization.replace(/^Bearer /, '')))
    )
      return error(401, 'E0000011', 'Invalid token provided');
    if (fault === 'server_error') return error(503, 'E0000009', 'Internal Server Error');
    const reset = Math.ceil(Date.now() / 1_000) + faults.settings.resetSeconds;
    if (fault === 'rate_limited' || bucket.used > perMinute)
      return error(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', {
        ...limits(0, fault ? reset : (minute + 1) * 60),
        'retry-after': String(
          fault ? faults.settings.resetSeconds : (minute + 1) * 60 - Math.floor(Date.now() / 1_000),
        ),
      });
    if (method !== 'GET')
      return error(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 200) || 200, 1000);
    const at = now();

    const page = <T>(all: T[], idOf: (item: T) => string) => {
      const after = url.searchParams.get('after');
      const from = after ? all.findIndex((item) => idOf(item) === after) + 1 : 0;
      const slice = all.slice(from, from + limit);
      const last = slice.at(-1);
      const headers: Record<string, string> = {};
      const self = new URL(url);
      const links = [`<${self.toString()}>; rel="self"`];
      if (last && from + limit < all.length) {
        self.searchParams.set('after', idOf(last));
        links.push(`<${self.toString()}>; rel="next"`);
      }
      headers.link = links.join(', ');
      return send(200, slice, headers);
    };

    if (url.pathname === '/api/v1/users') {
      const filter = url.searchParams.get('filter');
      if (filter !== null && filter !== 'status eq "DEPROVISIONED"')
        return error(400, 'E0000031', `Invalid search criteria: ${filter}`);
      const users = oktaUsersAt(company, at)
        .filter((u) => (filter ? u.status === 'DEPROVISIONED' : u.status !== 'DEPROVISIONED'))
        .sort((a, b) => a.id.localeCompare(b.id));
      return page(users, (u) => u.id);
    }
    const match = /^\/api\/v1\/users\/([^/]+)\/(factors|roles)$/.exec(url.pathname);
    if (match) {
      const [, id = '', what] = match;
      if (!oktaUsersAt(company, at).some((u) => u.id === id))
        return error(404, 'E0000007', `Not found: Resource not found: ${id} (User)`);
      return send(200, what === 'factors' ? oktaFactorsAt(company, id, at) : oktaRolesAt(company, id, at));
    }
    if (url.pathname === '/api/v1/logs') {
      const since = Date.parse(url.searchParams.get('since') ?? '');
      const until = Date.parse(url.searchParams.get('until') ?? '') || at;
      if (!Number.isFinite(since) || since < at - RETENTION_MS)
        return error(
          400,
          'E0000001',
          'Api validation failed: since: The since parameter is over 90 days prior to the current time',
        );
      const filter = url.searchParams.get('filter');
      const types = filter ? [...filter.matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1]) : undefined;
      if (filter && types?.length === 0)
        return error(400, 'E0000001', `Api validation failed: filter: ${filter}`);
      const events = systemLog.filter((e) => {
        const t = Date.parse(e.published);
        return t >= since && t < Math.min(until, at) && (!types || types.includes(e.eventType));
      });
      if (url.searchParams.get('sortOrder') === 'DESCENDING') events.reverse();
      return page(events, (e) => e.uuid);
    }
    return error(404, 'E0000022', `The endpoint does not exist: ${url.pathname}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errorCode: 'E0000009', errorSummary: String(failure) }));
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  base = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return {
    url: base,
    company,
    systemLog,
    faults,
    requests,
    privateKeyPem,
    clientId: OKTA_SANDBOX_CLIENT_ID,
    setNow: set,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

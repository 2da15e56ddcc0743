import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DAY } from '../../time.js';
import { buildCompany, type Company } from '../company/index.js';
import { verifyAssertion } from '../jwt-assertion.js';
import { PeopleFaults } from '../people-faults.js';
import { sandboxClock, type SandboxClock } from '../sandbox-clock.js';
import { buildAdminLog, type AdminActivity } from './admin-log.js';
import { googleUsersAt } from './model.js';

export interface GoogleSandboxOptions {
  readonly seed?: number;
  readonly now?: number;
  /** A clock shared with other sandboxes (the demo steps one through the period); default: its own. */
  readonly clock?: SandboxClock;
  readonly days?: number;
  readonly host?: string;
  readonly port?: number;
}

export interface GoogleSandbox {
  /** Root for `connectors.google-workspace.rootUrl` (Directory and Reports) and `tokenUrl` (`${url}/token`). */
  readonly url: string;
  readonly tokenUrl: string;
  readonly company: Company;
  /** The admin the service account may impersonate. */
  readonly adminEmail: string;
  /** Every admin activity of the period, newest first (user, group and privilege changes, and noise). */
  readonly adminLog: readonly AdminActivity[];
  /** A service account JSON key this sandbox trusts, for GOOGLE_SERVICE_ACCOUNT_KEY. */
  readonly serviceAccountKey: string;
  readonly faults: PeopleFaults;
  readonly requests: {
    total: number;
    byRoute: Record<string, number>;
    lastAuthorization: string;
    lastSubject: string;
  };
  setNow(at: number): void;
  stop(): Promise<void>;
}

const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const RETENTION_MS = 180 * DAY;
const REQUIRED_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.reports.audit.readonly',
];

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a fake Google Workspace (OAuth token endpoint, Directory users, Reports admin activity) on loopback. */
export async function startGoogleSandbox(options: GoogleSandboxOptions = {}): Promise<GoogleSandbox> {
  const seed = options.seed ?? 42;
  const company = buildCompany({
    seed,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
  });
  const adminEmail = company.people[0]!.googleEmail;
  const adminLog = buildAdminLog(company, adminEmail);
  const faults = new PeopleFaults(seed ^ 0x600913);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const clientEmail = `evidence-worker@sandbox-project.iam.gserviceaccount.com`;
  const issued = new Set<string>();
  const { now, set } = options.clock ?? sandboxClock(options.now);
  const requests = {
    total: 0,
    byRoute: {} as Record<string, number>,
    lastAuthorization: '',
    lastSubject: '',
  };
  let base = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', base);
    const method = request.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    requests.total += 1;
    requests.byRoute[route] = (requests.byRoute[route] ?? 0) + 1;
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      response.end(JSON.stringify(json));
    };
    const error = (status: number, reason: string, message: string, headers: Record<string, string> = {}) =>
      send(
        status,
        { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } },
        headers,
      );

    if (method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(await readBody(request));
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return send(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
      const check = verifyAssertion(form.get('assertion') ?? '', publicKeyPem, GOOGLE_TOKEN_AUDIENCE);
      if (!check.ok || check.claims.iss !== clientEmail)
        return send(400, {
          error: 'invalid_grant',
          error_description: check.ok ? 'Invalid issuer' : `Invalid JWT: ${check.reason}`,
        });
      const scopes = String(check.claims.scope ?? '').split(' ');
      if (check.claims.sub !== adminEmail || !REQUIRED_SCOPES.every((scope) => scopes.includes(scope)))
        return send(401, {
          error: 'unauthorized_client',
          error_description:
            'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        });
      requests.lastSubject = String(check.claims.sub);
      const token = `ya29.sandbox-${issued.size + 1}`;
      issued.add(token);
      return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const authorization = request.headers.authorization ?? '';
    requests.lastAuthorization = authorization;
    const fault = faults.next();
    if (fault === 'expired_token' || !issued.has(authorization.replace(/^Bearer /, '')))
      return send(401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.',
          errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError' }],
          status: 'UNAUTHENTICATED',
        },
      });
    if (fault === 'server_error') return error(503, 'backendError', 'The service is currently unavailable.');
    if (fault === 'rate_limited')
      return error(429, 'rateLimitExceeded', 'Quota exceeded for quota metric', {
        'retry-after': String(faults.settings.resetSeconds),
      });
    const at = now();
    const page = <T>(all: T[], field: string, extra: Record<string, unknown>) => {
      const max = Number(url.searchParams.get('maxResults') ?? 100) || 100;
      const from = Number(Buffer.from(url.searchParams.get('pageToken') ?? '', 'base64url').toString() || 0);
      const slice = all.slice(from, from + max);
      const next =
        from + max < all.length ? Buffer.from(String(from + max)).toString('base64url') : undefined;
      return send(200, { ...extra, [field]: slice, ...(next ? { nextPageToken: next } : {}) });
    };
    if (method === 'GET' && url.pathname === '/admin/directory/v1/users') {
      if (!url.searchParams.get('customer') && !url.searchParams.get('domain'))
        return error(400, 'badRequest', 'Bad Request');
      return page(googleUsersAt(company, at), 'users', { kind: 'admin#directory#users', etag: '"sandbox"' });
    }
    if (method === 'GET' && url.pathname === '/admin/reports/v1/activity/users/all/applications/admin') {
      const start = Date.parse(url.searchParams.get('startTime') ?? '') || at - RETENTION_MS;
      const end = Date.parse(url.searchParams.get('endTime') ?? '') || at;
      if (start < at - RETENTION_MS)
        return error(400, 'invalid', 'Start time can not be more than 180 days ago.');
      const items = adminLog.filter((a) => {
        const t = Date.parse(a.id.time);
        return t >= start && t <= end && t <= at;
      });
      return page(items, 'items', { kind: 'admin#reports#activities', etag: '"sandbox"' });
    }
    return error(404, 'notFound', `Not Found: ${url.pathname}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 500, message: String(failure) } }));
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  base = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const serviceAccountKey = JSON.stringify({
    type: 'service_account',
    project_id: 'sandbox-project',
    private_key_id: 'sandbox-key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: '100000000000000000042',
    token_uri: `${base}/token`,
  });
  return {
    url: base,
    tokenUrl: `${base}/token`,
    company,
    adminEmail,
    adminLog,
    serviceAccountKey,
    faults,
    requests,
    setNow: set,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

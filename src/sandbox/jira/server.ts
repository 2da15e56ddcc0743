import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxClock, type SandboxClock } from '../sandbox-clock.js';
import { TicketFaults } from '../tickets/faults.js';
import { historyOptions, ticketPlanOf, type HistoryOptions, type PlannedTicket } from '../tickets/plan.js';
import { approvalAt, issueAt, renderUser } from './issues.js';
import { parseJql } from './jql.js';
import { SITE_TIME_ZONE, jiraTime } from './site-time.js';

export interface JiraSandboxOptions extends Partial<HistoryOptions> {
  host?: string;
  port?: number;
  /** A clock shared with other sandboxes; default: its own, starting at "now". */
  clock?: SandboxClock;
  /** Largest search page the sandbox gives, whatever maxResults asks (Jira caps it too). */
  searchPageSize?: number;
  /** Largest changelog page, so paging is exercised (Jira's default is 100). */
  changelogPageSize?: number;
}

export interface JiraGroundTruthTicket {
  key: string;
  project: string;
  updatedAt: number;
  transitions: { at: number; by: string; from: string; to: string }[];
  /** JSM approvals (service desk only): decision and when it was given. */
  approvals: { decision: string; completedAt: number | null }[] | null;
}

export interface JiraSandbox {
  readonly url: string;
  readonly timeZone: string;
  readonly projects: readonly string[];
  readonly faults: TicketFaults;
  readonly requests: { total: number; byRoute: Record<string, number>; lastAuthorization: string };
  /** Every ticket visible at the sandbox's current "now", as a correct connector must store it. */
  groundTruth(): JiraGroundTruthTicket[];
  /** Every planned Jira ticket, whenever it becomes visible. */
  readonly tickets: readonly PlannedTicket[];
  setNow(at: number): void;
  stop(): Promise<void>;
}

const encodeToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
const decodeToken = (token: string) =>
  Number(/^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString())?.[1]);

function pick(fields: Record<string, unknown>, wanted: string | null): Record<string, unknown> {
  if (wanted === null) return {};
  const names = wanted.split(',').map((name) => name.trim());
  if (names.includes('*all')) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([name]) => names.includes(name)));
}

/**
 * A fake Jira Cloud on loopback: enhanced JQL search with `nextPageToken`, paged changelogs, JSM approvals
 * of the service desk, 429 with Retry-After, 503 and 401 on demand. Its issues are the Jira tickets of the
 * ticket plan, shown as they stood at the sandbox's "now".
 */
export async function startJiraSandbox(options: JiraSandboxOptions = {}): Promise<JiraSandbox> {
  const history = historyOptions(options);
  const plan = ticketPlanOf(history);
  const tickets = plan.tickets.filter((ticket) => ticket.project.system === 'jira');
  const byKey = new Map(tickets.map((ticket) => [ticket.key, ticket]));
  const projects = [...new Set(tickets.map((ticket) => ticket.project.key))];
  const faults = new TicketFaults(history.seed);
  const searchCap = options.searchPageSize ?? 20;
  const changelogCap = options.changelogPageSize ?? 3;
  const { now, set } = options.clock ?? sandboxClock(history.now);
  const requests = { total: 0, byRoute: {} as Record<string, number>, lastAuthorization: '' };
  const previousKey = (ticket: PlannedTicket) => `${ticket.project.key}-${ticket.number - 1}`;
  const visible = () => tickets.filter((ticket) => ticket.createdAt <= now());

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const method = request.method ?? 'GET';
    const shape = `${method} ${url.pathname.replace(/\/[A-Z][A-Z0-9]*-\d+(?=\/|$)/, '/:key')}`;
    requests.total += 1;
    requests.byRoute[shape] = (requests.byRoute[shape] ?? 0) + 1;
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      const bytes = Buffer.from(JSON.stringify(json));
      response.writeHead(status, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': String(bytes.length),
        ...headers,
      });
      response.end(bytes);
    };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const auth = request.headers.authorization ?? '';
    requests.lastAuthorization = auth;
    if (!/^(Basic|Bearer) \S+/.test(auth))
      return send(401, {
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
      });
    switch (faults.next()) {
      case 'revoked':
        return send(401, { errorMessages: ['Client must be authenticated to access this resource.'] });
      case 'rate_limited':
        return send(
          429,
          { errorMessages: ['Rate limit exceeded.'] },
          {
            'retry-after': String(faults.settings.retryAfterSeconds),
            'x-ratelimit-reason': 'jira-quota-tenant-based',
          },
        );
      case 'server_error':
        return send(503, { errorMessages: ['Service Unavailable'] });
      default:
        break;
    }
    if (method === 'GET' && url.pathname === '/rest/api/3/myself')
      return send(200, {
        accountId: 'acc-evidence-bot',
        displayName: 'Evidence bot',
        timeZone: SITE_TIME_ZONE,
      });

    if (url.pathname === '/rest/api/3/search/jql' && (method === 'GET' || method === 'POST')) {
      const body =
        method === 'POST'
          ? (JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>)
          : {};
      const param = (name: string) =>
        url.searchParams.get(name) ?? (body[name] === undefined ? null : String(body[name]));
      const jql = parseJql(param('jql') ?? '');
      if ('error' in jql) return send(400, { errorMessages: [jql.error], warningMessages: [] });
      const token = param('nextPageToken');
      const offset = token === null ? 0 : decodeToken(token);
      if (!Number.isFinite(offset))
        return send(400, { errorMessages: ['The provided next page token is invalid or expired.'] });
      const size = Math.min(Number(param('maxResults') ?? 50) || 50, searchCap);
      const matching = visible()
        .filter((ticket) => jql.projects === undefined || jql.projects.includes(ticket.project.key))
        .map((ticket) => issueAt(ticket, now(), previousKey(ticket)))
        .filter(
          (issue) =>
            issue.updatedAt >= jql.from &&
            (jql.toInclusive ? issue.updatedAt <= jql.to : issue.updatedAt < jql.to),
        )
        .sort((a, b) => a.updatedAt - b.updatedAt || a.key.localeCompare(b.key));
      const page = matching.slice(offset, offset + size);
      const more = offset + size < matching.length;
      const wanted = param('fields');
      return send(200, {
        issues: page.map((issue) => ({
          id: issue.id,
          key: issue.key,
          self: `${api}/rest/api/3/issue/${issue.id}`,
          fields: pick(issue.fields, wanted),
        })),
        ...(more ? { nextPageToken: encodeToken(offset + size) } : {}),
        isLast: !more,
      });
    }

    const changelog = /^\/rest\/api\/3\/issue\/([A-Z][A-Z0-9]*-\d+)\/changelog$/.exec(url.pathname);
    if (method === 'GET' && changelog) {
      const ticket = byKey.get(changelog[1] ?? '');
      if (!ticket || ticket.createdAt > now())
        return send(404, {
          errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        });
      const entries = issueAt(ticket, now(), previousKey(ticket)).history;
      const startAt = Number(url.searchParams.get('startAt') ?? 0);
      const size = Math.min(Number(url.searchParams.get('maxResults') ?? 100) || 100, changelogCap);
      const values = entries.slice(startAt, startAt + size);
      return send(200, {
        self: `${api}${url.pathname}?startAt=${startAt}&maxResults=${size}`,
        maxResults: size,
        startAt,
        total: entries.length,
        isLast: startAt + size >= entries.length,
        values: values.map((entry) => ({
          id: entry.id,
          author: renderUser(entry.author),
          created: jiraTime(entry.at),
          items: entry.items,
        })),
      });
    }

    const approval = /^\/rest\/servicedeskapi\/request\/([A-Z][A-Z0-9]*-\d+)\/approval$/.exec(url.pathname);
    if (method === 'GET' && approval) {
      const ticket = byKey.get(approval[1] ?? '');
      if (!ticket || ticket.createdAt > now() || ticket.project.type !== 'service_desk')
        return send(404, {
          errorMessage: 'The request could not be found or is not a customer request.',
          i18nErrorMessage: {},
        });
      const values = approvalAt(ticket, now());
      return send(200, { size: values.length, start: 0, limit: 50, isLastPage: true, values, _links: {} });
    }
    return send(404, { errorMessages: [`No route for ${method} ${url.pathname}`] });
  };

  let api = '';
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  api = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: api,
    timeZone: SITE_TIME_ZONE,
    projects,
    faults,
    requests,
    tickets,
    groundTruth: () =>
      visible().map((ticket) => ({
        key: ticket.key,
        project: ticket.project.key,
        updatedAt: issueAt(ticket, now(), previousKey(ticket)).updatedAt,
        transitions: ticket.transitions
          .filter((step) => step.at <= now())
          .map((step) => ({ at: step.at, by: `acc-${step.by}`, from: step.from, to: step.to })),
        approvals:
          ticket.project.type === 'service_desk'
            ? approvalAt(ticket, now()).map((entry) => ({
                decision: entry.finalDecision,
                completedAt: entry.completedDate?.epochMillis ?? null,
              }))
            : null,
      })),
    setNow: set,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxClock, type SandboxClock } from '../sandbox-clock.js';
import { TicketFaults } from '../tickets/faults.js';
import { historyOptions, ticketPlanOf, type HistoryOptions, type PlannedTicket } from '../tickets/plan.js';
import { issueAt } from './issues.js';

export interface LinearSandboxOptions extends Partial<HistoryOptions> {
  host?: string;
  port?: number;
  /** A clock shared with other sandboxes; default: its own, starting at "now". */
  clock?: SandboxClock;
  /** Largest issues page (the `first` asked for is capped to it), so cursors are exercised. */
  issuesPageSize?: number;
  /** Largest nested history page, so the history follow-up query is exercised. */
  historyPageSize?: number;
}

export interface LinearGroundTruthTicket {
  identifier: string;
  updatedAt: number;
  stateChanges: { at: number; by: string; from: string; to: string }[];
  pullRequests: string[];
}

export interface LinearSandbox {
  /** The GraphQL endpoint, for `connectors.linear.apiUrl`. */
  readonly url: string;
  readonly teams: readonly string[];
  readonly faults: TicketFaults;
  readonly requests: { total: number; byOperation: Record<string, number>; lastAuthorization: string };
  groundTruth(): LinearGroundTruthTicket[];
  readonly tickets: readonly PlannedTicket[];
  setNow(at: number): void;
  stop(): Promise<void>;
}

const cursorOf = (offset: number) => Buffer.from(`cursor:${offset}`).toString('base64url');
const offsetOf = (cursor: unknown) =>
  typeof cursor === 'string'
    ? Number(/^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1])
    : 0;

interface Filter {
  team?: { key?: { in?: string[]; eq?: string } };
  updatedAt?: { gte?: string; gt?: string; lt?: string; lte?: string };
}

function matches(filter: Filter | undefined, team: string, updatedAt: number): boolean {
  const teams = filter?.team?.key?.in ?? (filter?.team?.key?.eq ? [filter.team.key.eq] : undefined);
  if (teams && !teams.includes(team)) return false;
  const range = filter?.updatedAt ?? {};
  const bound = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
  const [gte, gt, lt, lte] = [bound(range.gte), bound(range.gt), bound(range.lt), bound(range.lte)];
  return (
    (gte === undefined || updatedAt >= gte) &&
    (gt === undefined || updatedAt > gt) &&
    (lt === undefined || updatedAt < lt) &&
    (lte === undefined || updatedAt <= lte)
  );
}

function connection<T>(nodes: readonly T[], offset: number, size: number) {
  const page = nodes.slice(offset, offset + size);
  const more = offset + size < nodes.length;
  return {
    pageInfo: { hasNextPage: more, endCursor: page.length > 0 ? cursorOf(offset + page.length) : null },
    nodes: page,
  };
}

/**
 * A fake Linear GraphQL API on loopback, answering the connector's queries (issues with nested history,
 * labels and attachments; an issue's further history) with Relay cursors, RATELIMITED complexity errors and
 * authentication errors on demand. Its issues are the Linear tickets of the ticket plan as of "now".
 */
export async function startLinearSandbox(options: LinearSandboxOptions = {}): Promise<LinearSandbox> {
  const history = historyOptions(options);
  const plan = ticketPlanOf(history);
  const tickets = plan.tickets.filter((ticket) => ticket.project.system === 'linear');
  const byId = new Map(tickets.map((ticket) => [`lin-${ticket.number}`, ticket]));
  const faults = new TicketFaults(history.seed + 1);
  const issuesCap = options.issuesPageSize ?? 10;
  const historyCap = options.historyPageSize ?? 2;
  const { now, set } = options.clock ?? sandboxClock(history.now);
  const requests = { total: 0, byOperation: {} as Record<string, number>, lastAuthorization: '' };
  const render = (ticket: PlannedTicket) => issueAt(ticket, now(), plan.historyStart);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      const bytes = Buffer.from(JSON.stringify(json));
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(bytes.length),
        ...headers,
      });
      response.end(bytes);
    };
    const error = (
      status: number,
      message: string,
      type: string,
      code: string,
      headers: Record<string, string> = {},
    ) =>
      send(
        status,
        { errors: [{ message, extensions: { type, code, userPresentableMessage: message } }] },
        headers,
      );
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString()) as typeof body;
    } catch {
      return error(400, 'Body is not JSON', 'invalid input', 'INVALID_INPUT');
    }
    const operation = /query\s+(\w+)/.exec(body.query ?? '')?.[1] ?? 'anonymous';
    requests.total += 1;
    requests.byOperation[operation] = (requests.byOperation[operation] ?? 0) + 1;
    const auth = request.headers.authorization ?? '';
    requests.lastAuthorization = auth;
    if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://sandbox').pathname !== '/graphql')
      return send(404, { error: 'Not found' });
    if (!auth)
      return error(
        400,
        'Authentication required, not authenticated',
        'authentication error',
        'AUTHENTICATION_ERROR',
      );
    const resetAt = Date.now() + faults.settings.retryAfterSeconds * 1_000;
    switch (faults.next()) {
      case 'revoked':
        return error(
          401,
          'Authentication required, not authenticated',
          'authentication error',
          'AUTHENTICATION_ERROR',
        );
      case 'rate_limited':
        // Linear answers a spent complexity budget with 400 and RATELIMITED, and says when it refills.
        return error(
          400,
          'Rate limit exceeded: query complexity budget used up',
          'ratelimited',
          'RATELIMITED',
          {
            'x-ratelimit-complexity-limit': '3000000',
            'x-ratelimit-complexity-remaining': '0',
            'x-ratelimit-complexity-reset': String(resetAt),
          },
        );
      case 'server_error':
        return send(503, { errors: [{ message: 'Service unavailable' }] });
      default:
        break;
    }
    const variables = body.variables ?? {};
    const first = Math.min(Number(variables.first ?? 50), 250);
    if (operation === 'ChangeTickets') {
      const nodes = tickets
        .filter((ticket) => ticket.createdAt <= now())
        .map(render)
        .filter((issue) =>
          matches(variables.filter as Filter | undefined, String(issue.node.team.key), issue.updatedAt),
        )
        .sort((a, b) => a.updatedAt - b.updatedAt || a.node.identifier.localeCompare(b.node.identifier));
      const page = connection(nodes, offsetOf(variables.after), Math.min(first, issuesCap));
      return send(200, {
        data: {
          issues: {
            pageInfo: page.pageInfo,
            nodes: page.nodes.map(({ node, history: entries }) => ({
              ...node,
              labels: { pageInfo: { hasNextPage: false }, nodes: node.labels.map((name) => ({ name })) },
              attachments: { pageInfo: { hasNextPage: false }, nodes: node.attachments },
              history: connection(
                entries.map((entry) => entry.node),
                0,
                historyCap,
              ),
            })),
          },
        },
      });
    }
    if (operation === 'IssueHistory' || operation === 'IssueRelations') {
      const ticket = byId.get(String(variables.id));
      if (!ticket || ticket.createdAt > now())
        return error(200, 'Entity not found: Issue', 'invalid input', 'INVALID_INPUT');
      const { node, history: entries } = render(ticket);
      if (operation === 'IssueRelations')
        return send(200, {
          data: {
            issue: {
              labels: { nodes: node.labels.map((name) => ({ name })) },
              attachments: { nodes: node.attachments },
            },
          },
        });
      const page = connection(
        entries.map((entry) => entry.node),
        offsetOf(variables.after),
        Math.min(first, historyCap),
      );
      return send(200, { data: { issue: { history: page } } });
    }
    return error(400, `Unknown operation ${operation}`, 'graphql error', 'GRAPHQL_VALIDATION_FAILED');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(failure));
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const base = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: `${base}/graphql`,
    teams: [...new Set(tickets.map((ticket) => ticket.project.key))],
    faults,
    requests,
    tickets,
    groundTruth: () =>
      tickets
        .filter((ticket) => ticket.createdAt <= now())
        .map((ticket) => {
          const issue = render(ticket);
          return {
            identifier: ticket.key,
            updatedAt: issue.updatedAt,
            stateChanges: ticket.transitions
              .filter((step) => step.at <= now())
              .map((step) => ({ at: step.at, by: `acc-${step.by}`, from: step.from, to: step.to })),
            pullRequests: issue.node.attachments.map((attachment) => attachment.url),
          };
        }),
    setNow: set,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

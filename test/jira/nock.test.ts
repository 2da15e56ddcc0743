import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jiraChangeTickets } from '../../connectors/jira/change-tickets.js';
import { SEARCH_FIELDS } from '../../connectors/jira/client.js';
import { RateLimitedError } from '../../src/errors.js';
import type { CollectedItem } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import { silentLogger } from '../tickets/support/harness.js';
import { JIRA_ENV, jiraClient, jiraConfig } from './support.js';

const SITE = 'https://acme.atlassian.net';
// 2026-03-01 10:00-11:00 UTC; the account reads JQL in Berlin time (UTC+1 in March).
const WINDOW: Window = { start: Date.UTC(2026, 2, 1, 10), end: Date.UTC(2026, 2, 1, 11) };
const JQL =
  'project in ("CHG", "OPS") AND updated >= "2026-03-01 09:59" AND updated < "2026-03-01 13:01" ORDER BY updated ASC, key ASC';
const BASIC = `Basic ${Buffer.from(`${JIRA_ENV.JIRA_EMAIL}:${JIRA_ENV.JIRA_API_TOKEN}`).toString('base64')}`;

function issue(key: string, updated: string, projectTypeKey = 'software') {
  return {
    id: String(key.length * 1000 + Number(key.split('-')[1])),
    key,
    fields: {
      summary: `Change ${key}`,
      issuetype: { name: 'Task' },
      status: { name: 'Done', statusCategory: { key: 'done' } },
      resolution: { name: 'Done' },
      reporter: { accountId: 'acc-1', displayName: 'Alice' },
      assignee: null,
      created: '2026-03-01T08:00:00.000+0100',
      updated,
      resolutiondate: updated,
      fixVersions: [{ name: '1.2' }],
      labels: ['change'],
      issuelinks: [
        {
          type: { name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
          inwardIssue: { key: 'CHG-1' },
        },
      ],
      project: { key: key.split('-')[0], projectTypeKey },
    },
  };
}

const changelogEntry = (id: string, created: string, items: Record<string, unknown>[]) => ({
  id,
  author: { accountId: 'acc-2', displayName: 'Bob' },
  created,
  items,
});

async function collect(window: Window, env: NodeJS.ProcessEnv = JIRA_ENV) {
  const client = jiraClient(jiraConfig({ site: SITE, projects: ['CHG', 'OPS'] }), env);
  const items: CollectedItem[] = [];
  for await (const item of jiraChangeTickets.collect(window, undefined, {
    client,
    logger: silentLogger,
    signal: new AbortController().signal,
    acquire: async () => undefined,
    reject: async () => undefined,
  }))
    items.push(item);
  return items;
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('jira-change-tickets over HTTP (nock)', () => {
  it('sends the enhanced search with the window in the account zone, pages tokens, changelogs and JSM approvals', async () => {
    const scope = nock(SITE, { reqheaders: { authorization: BASIC } })
      .get('/rest/api/3/myself')
      .reply(200, { accountId: 'acc-bot', timeZone: 'Europe/Berlin' })
      .get('/rest/api/3/search/jql')
      .query({ jql: JQL, maxResults: '100', fields: SEARCH_FIELDS.join(',') })
      .reply(200, {
        // 10:59:59 Berlin is 09:59:59 UTC: before the window, asked for by the margin and left out.
        issues: [
          issue('CHG-7', '2026-03-01T10:59:59.000+0100'),
          issue('CHG-8', '2026-03-01T11:30:00.000+0100'),
        ],
        nextPageToken: 'tok-2',
        isLast: false,
      })
      .get('/rest/api/3/search/jql')
      .query({ jql: JQL, maxResults: '100', fields: SEARCH_FIELDS.join(','), nextPageToken: 'tok-2' })
      .reply(200, { issues: [issue('OPS-3', '2026-03-01T11:45:00.000+0100', 'service_desk')], isLast: true })
      .get('/rest/api/3/issue/CHG-8/changelog')
      .query({ startAt: '0', maxResults: '100' })
      .reply(200, {
        startAt: 0,
        maxResults: 1,
        total: 2,
        isLast: false,
        values: [
          changelogEntry('1', '2026-03-01T11:00:00.000+0100', [
            { field: 'status', fieldId: 'status', fromString: 'To Do', toString: 'Approved' },
            { field: 'Approvers', fieldId: 'customfield_10050', fromString: null, toString: 'Bob' },
            { field: 'description', fieldId: 'description', fromString: 'a', toString: 'b' },
          ]),
        ],
      })
      .get('/rest/api/3/issue/CHG-8/changelog')
      .query({ startAt: '1', maxResults: '100' })
      .reply(200, {
        startAt: 1,
        maxResults: 1,
        total: 2,
        isLast: true,
        values: [
          changelogEntry('2', '2026-03-01T11:30:00.000+0100', [
            { field: 'status', fieldId: 'status', fromString: 'Approved', toString: 'Done' },
          ]),
        ],
      })
      .get('/rest/api/3/issue/OPS-3/changelog')
      .query({ startAt: '0', maxResults: '100' })
      .reply(200, { startAt: 0, maxResults: 100, total: 0, isLast: true, values: [] })
      .get('/rest/servicedeskapi/request/OPS-3/approval')
      .query({ start: '0', limit: '50' })
      .reply(200, {
        start: 0,
        limit: 50,
        isLastPage: true,
        values: [
          {
            id: '9',
            name: 'CAB',
            finalDecision: 'approved',
            approvers: [
              { approver: { accountId: 'acc-3', displayName: 'Carol' }, approverDecision: 'approved' },
            ],
            createdDate: { iso8601: '2026-03-01T11:00:00+0100', epochMillis: Date.UTC(2026, 2, 1, 10) },
            completedDate: { iso8601: '2026-03-01T11:40:00+0100', epochMillis: Date.UTC(2026, 2, 1, 10, 40) },
          },
        ],
      });
    const items = await collect(WINDOW);
    expect(scope.isDone()).toBe(true);
    expect(items.map((item) => [item.key, item.occurredAt])).toEqual([
      ['CHG-8', Date.UTC(2026, 2, 1, 10, 30)],
      ['OPS-3', Date.UTC(2026, 2, 1, 10, 45)],
    ]);
    const chg = items[0]!.payload as Record<string, unknown>;
    expect(chg).toMatchObject({
      updated: '2026-03-01T10:30:00.000Z',
      links: [{ type: 'is blocked by', direction: 'inward', key: 'CHG-1' }],
      transitions: [
        {
          at: '2026-03-01T10:00:00.000Z',
          from: 'To Do',
          to: 'Approved',
          by: { accountId: 'acc-2', name: 'Bob', email: null },
        },
        { at: '2026-03-01T10:30:00.000Z', from: 'Approved', to: 'Done' },
      ],
      approvalFieldChanges: [{ field: 'Approvers', to: 'Bob' }],
      approvals: null,
    });
    expect(items[1]!.payload).toMatchObject({
      approvals: [{ id: '9', decision: 'approved', completedAt: '2026-03-01T10:40:00.000Z' }],
    });
    expect(JSON.stringify(items)).not.toContain('flags');
  });

  it('429 gives RateLimitedError with Retry-After; OAuth sends a bearer token', async () => {
    nock(SITE, { reqheaders: { authorization: 'Bearer oauth-access-token-1' } })
      .get('/rest/api/3/myself')
      .reply(200, { timeZone: 'UTC' })
      .get('/rest/api/3/search/jql')
      .query(true)
      .reply(429, { errorMessages: ['Rate limit exceeded.'] }, { 'Retry-After': '12' });
    const failure = await collect(WINDOW, { JIRA_OAUTH_TOKEN: 'oauth-access-token-1' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RateLimitedError);
    expect((failure as RateLimitedError).retryAfterMs).toBe(12_000);
  });

  it('403 is a fatal credential error with what Jira said', async () => {
    nock(SITE)
      .get('/rest/api/3/myself')
      .reply(403, { errorMessages: ['You do not have the permission to see the specified issue.'] });
    const failure = (await collect(WINDOW).catch((error: unknown) => error)) as {
      code: string;
      retry: string;
      message: string;
    };
    expect(failure.code).toBe('AUTH_FORBIDDEN');
    expect(failure.retry).toBe('fatal');
    expect(failure.message).toContain('You do not have the permission');
  });
});

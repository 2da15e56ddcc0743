import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { googleWorkspaceAdminEvents } from '../../connectors/google-workspace/admin-events.js';
import { googleWorkspaceUsers } from '../../connectors/google-workspace/users.js';
import type { CollectedItem, StreamDefinition } from '../../src/stream.js';
import { googleClient, googleConfig } from './harness.js';
import { pino } from 'pino';

const WINDOW = { start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 2, 2) };
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY = JSON.stringify({
  type: 'service_account',
  client_email: 'ew@project.iam.gserviceaccount.com',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  private_key_id: 'k1',
});

async function collect(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  stream: StreamDefinition<any, any, any>,
  cursor?: Record<string, unknown>,
) {
  const items: CollectedItem<Record<string, unknown>>[] = [];
  const client = googleClient(googleConfig({ subject: 'admin@acme.com', pageSize: 2 }), {
    GOOGLE_SERVICE_ACCOUNT_KEY: KEY,
  });
  const generator = stream.collect(WINDOW, cursor, {
    client,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    acquire: async () => {},
    reject: async () => {},
  });
  let next = await generator.next();
  while (!next.done) {
    items.push(next.value as CollectedItem<Record<string, unknown>>);
    next = await generator.next();
  }
  return { items, cursor: next.value as Record<string, unknown> };
}

function tokenEndpoint() {
  return nock('https://oauth2.googleapis.com')
    .post('/token', (body: Record<string, string>) => {
      const claims = JSON.parse(
        Buffer.from(body.assertion!.split('.')[1]!, 'base64url').toString(),
      ) as Record<string, unknown>;
      return (
        body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
        claims.sub === 'admin@acme.com' &&
        claims.iss === 'ew@project.iam.gserviceaccount.com' &&
        claims.scope ===
          'https://www.googleapis.com/auth/admin.directory.user.readonly https://www.googleapis.com/auth/admin.reports.audit.readonly'
      );
    })
    .reply(200, { access_token: 'ya29.nock', expires_in: 3599, token_type: 'Bearer' });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

describe('google workspace connector: the exact requests', () => {
  it('users: a delegated token for the admin, then users.list paged by pageToken', async () => {
    const token = tokenEndpoint();
    const user = (id: string, email: string, extra: Record<string, unknown> = {}) => ({
      id,
      primaryEmail: email,
      name: { fullName: email },
      suspended: false,
      creationTime: '2025-01-01T09:00:00.000Z',
      lastLoginTime: '1970-01-01T00:00:00.000Z',
      orgUnitPath: '/',
      isAdmin: false,
      isEnrolledIn2Sv: true,
      isEnforcedIn2Sv: true,
      externalIds: [{ value: 'E7', type: 'organization' }],
      organizations: [{ department: 'Sales', title: 'AE', primary: true }],
      relations: [{ value: 'boss@acme.com', type: 'manager' }],
      ...extra,
    });
    const api = nock('https://admin.googleapis.com', { reqheaders: { authorization: 'Bearer ya29.nock' } })
      .get('/admin/directory/v1/users')
      .query({ customer: 'my_customer', maxResults: '2', projection: 'full', orderBy: 'email' })
      .reply(200, { users: [user('1', 'a@acme.com')], nextPageToken: 'p2' })
      .get('/admin/directory/v1/users')
      .query({
        customer: 'my_customer',
        maxResults: '2',
        projection: 'full',
        orderBy: 'email',
        pageToken: 'p2',
      })
      .reply(200, { users: [user('2', 'b@acme.com', { suspended: true })] });
    const previous = {
      latest: {
        day: '2026-02-28',
        state: {
          '2': {
            primaryEmail: 'b@acme.com',
            suspended: false,
            archived: false,
            orgUnitPath: '/',
            department: 'Sales',
            manager: 'boss@acme.com',
            isAdmin: false,
            isDelegatedAdmin: false,
          },
        },
      },
    };
    const { items } = await collect(googleWorkspaceUsers, previous);
    expect(token.isDone() && api.isDone()).toBe(true);
    expect(items.map((i) => i.key)).toEqual([
      '2026-03-01/1',
      '2026-03-01/2',
      '2026-03-01/1/joined',
      '2026-03-01/2/left',
    ]);
    expect(items[0]?.payload).toMatchObject({
      employeeId: 'E7',
      department: 'Sales',
      manager: 'boss@acme.com',
      lastLoginTime: null,
    });
  });

  it('users: a directory read and found empty is one quiet item saying so', async () => {
    tokenEndpoint();
    nock('https://admin.googleapis.com')
      .get('/admin/directory/v1/users')
      .query({ customer: 'my_customer', maxResults: '2', projection: 'full', orderBy: 'email' })
      .reply(200, { kind: 'admin#directory#users' });
    const { items } = await collect(googleWorkspaceUsers);
    const payload = {
      type: 'empty',
      description: 'Google Workspace directory of my_customer read: no users',
    };
    expect(items).toEqual([{ key: '2026-03-01/#empty', occurredAt: WINDOW.start, quiet: true, payload }]);
    expect(googleWorkspaceUsers.itemSchema.safeParse(payload).success).toBe(true);
    const row = (googleWorkspaceUsers.populationColumns ?? []).map((column) =>
      column.value(items[0]! as never),
    );
    expect(row).toEqual(['2026-03-01', 'empty', '', '', '', '', '', '', '', '', payload.description]);
  });

  it('admin events: activities.list for the window (endTime inclusive), 503 retried, other event types left out', async () => {
    tokenEndpoint();
    const activity = (q: string, type: string, name: string) => ({
      id: { time: '2026-03-01T10:00:00.000Z', uniqueQualifier: q, applicationName: 'admin' },
      actor: { email: 'admin@acme.com', callerType: 'USER' },
      events: [{ type, name, parameters: [{ name: 'USER_EMAIL', value: 'b@acme.com' }] }],
    });
    const query = {
      startTime: '2026-03-01T00:00:00.000Z',
      endTime: '2026-03-01T23:59:59.999Z',
      maxResults: '4',
    };
    const api = nock('https://admin.googleapis.com')
      .get('/admin/reports/v1/activity/users/all/applications/admin')
      .query(query)
      .reply(503, { error: { code: 503, message: 'backend', errors: [{ reason: 'backendError' }] } })
      .get('/admin/reports/v1/activity/users/all/applications/admin')
      .query(query)
      .reply(200, {
        items: [
          activity('11', 'USER_SETTINGS', 'SUSPEND_USER'),
          activity('12', 'APPLICATION_SETTINGS', 'CHANGE_APPLICATION_SETTING'),
        ],
      });
    const { items } = await collect(googleWorkspaceAdminEvents);
    expect(api.isDone()).toBe(true);
    expect(
      items.map((i) => [i.key, i.payload.name, (i.payload.parameters as Record<string, unknown>).USER_EMAIL]),
    ).toEqual([['2026-03-01T10:00:00.000Z/11/0', 'SUSPEND_USER', 'b@acme.com']]);
  });

  it('a refused delegation at the token endpoint is a fatal credential error', async () => {
    nock('https://oauth2.googleapis.com').post('/token').reply(401, {
      error: 'unauthorized_client',
      error_description: 'Client is unauthorized to retrieve access tokens',
    });
    await expect(collect(googleWorkspaceUsers)).rejects.toMatchObject({
      code: 'AUTH_INVALID',
      retry: 'fatal',
    });
  });
});

import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oktaLifecycleEvents } from '../../connectors/okta/lifecycle-events.js';
import { oktaUsers } from '../../connectors/okta/users.js';
import type { CollectedItem, SourceRejection, StreamDefinition } from '../../src/stream.js';
import { oktaClient, oktaConfig, silentLogger } from './harness.js';

const ORG = 'https://acme.okta.com';
const WINDOW = { start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 2, 2) };
const TOKEN = 'okta-nock-token-1234';

async function collect(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  stream: StreamDefinition<any, any, any>,
  cursor?: Record<string, unknown>,
  section: Record<string, unknown> = {},
) {
  const items: CollectedItem<Record<string, unknown>>[] = [];
  const rejects: SourceRejection[] = [];
  const generator = stream.collect(WINDOW, cursor, {
    client: oktaClient(oktaConfig({ orgUrl: ORG, ...section }), { OKTA_API_TOKEN: TOKEN }),
    logger: silentLogger,
    signal: new AbortController().signal,
    acquire: async () => {},
    reject: async (rejection) => {
      rejects.push(rejection);
    },
  });
  let next = await generator.next();
  while (!next.done) {
    items.push(next.value as CollectedItem<Record<string, unknown>>);
    next = await generator.next();
  }
  return { items, rejects, cursor: next.value as Record<string, unknown> };
}

const user = (id: string, login: string, status = 'ACTIVE', department = 'Engineering') => ({
  id,
  status,
  created: '2025-01-10T09:00:00.000Z',
  activated: '2025-01-10T09:01:00.000Z',
  statusChanged: '2025-01-10T09:01:00.000Z',
  lastLogin: '2026-02-28T08:00:00.000Z',
  lastUpdated: '2025-01-10T09:01:00.000Z',
  passwordChanged: null,
  type: { id: 'oty1' },
  profile: {
    login,
    email: login,
    firstName: 'A',
    lastName: 'B',
    employeeNumber: 'E1',
    department,
    managerId: 'E0',
  },
  _links: { self: { href: `${ORG}/api/v1/users/${id}` } },
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

describe('okta connector: the exact requests', () => {
  it('okta-users: an org read and found empty is one quiet item saying so', async () => {
    nock(ORG)
      .get('/api/v1/users')
      .query({ limit: '200' })
      .reply(200, [])
      .get('/api/v1/users')
      .query({ limit: '200', filter: 'status eq "DEPROVISIONED"' })
      .reply(200, []);
    const { items } = await collect(oktaUsers);
    const payload = { type: 'empty', description: 'Okta read: no users, active or deactivated' };
    expect(items).toEqual([{ key: '2026-03-01/#empty', occurredAt: WINDOW.start, quiet: true, payload }]);
    expect(oktaUsers.itemSchema.safeParse(payload).success).toBe(true);
    const row = (oktaUsers.populationColumns ?? []).map((column) => column.value(items[0]! as never));
    expect(row).toEqual(['2026-03-01', 'empty', '', '', '', '', '', '', '', payload.description]);
  });

  it('okta-users: pages through Link, asks for deactivated users apart, reads factors and roles with SSWS', async () => {
    const api = nock(ORG, { reqheaders: { authorization: `SSWS ${TOKEN}`, accept: 'application/json' } })
      .get('/api/v1/users')
      .query({ limit: '200' })
      .reply(200, [user('00u1', 'a@acme.com')], {
        link: `<${ORG}/api/v1/users?limit=200>; rel="self", <${ORG}/api/v1/users?limit=200&after=00u1>; rel="next"`,
        'x-rate-limit-remaining': '99',
      })
      .get('/api/v1/users')
      .query({ limit: '200', after: '00u1' })
      .reply(200, [user('00u2', 'b@acme.com')], {
        link: `<${ORG}/api/v1/users?limit=200&after=00u1>; rel="self"`,
      })
      .get('/api/v1/users')
      .query({ limit: '200', filter: 'status eq "DEPROVISIONED"' })
      .reply(200, [user('00u3', 'c@acme.com', 'DEPROVISIONED')])
      .get('/api/v1/users/00u1/factors')
      .reply(200, [{ id: 'f1', factorType: 'push', provider: 'OKTA', status: 'ACTIVE' }])
      .get('/api/v1/users/00u1/roles')
      .reply(200, [{ id: 'r1', type: 'SUPER_ADMIN', status: 'ACTIVE' }])
      .get('/api/v1/users/00u2/factors')
      .reply(200, [])
      .get('/api/v1/users/00u2/roles')
      .reply(200, [])
      .get('/api/v1/users/00u3/factors')
      .reply(200, [])
      .get('/api/v1/users/00u3/roles')
      .reply(200, []);
    const previous = {
      latest: {
        day: '2026-02-28',
        state: {
          '00u1': {
            login: 'a@acme.com',
            status: 'ACTIVE',
            department: 'Sales',
            manager: 'E0',
            adminRoles: [],
          },
          '00u3': {
            login: 'c@acme.com',
            status: 'ACTIVE',
            department: 'Engineering',
            manager: 'E0',
            adminRoles: [],
          },
        },
      },
    };
    const { items, cursor } = await collect(oktaUsers, previous);
    expect(api.isDone()).toBe(true);
    expect(items.filter((i) => i.payload.type === 'observation').map((i) => i.key)).toEqual([
      '2026-03-01/00u1',
      '2026-03-01/00u2',
      '2026-03-01/00u3',
    ]);
    expect(items[0]?.payload).toMatchObject({
      factors: [{ type: 'push', provider: 'OKTA', status: 'ACTIVE' }],
      adminRoles: ['SUPER_ADMIN'],
      employeeNumber: 'E1',
      manager: 'E0',
    });
    expect(
      items.filter((i) => i.payload.type === 'change').map((i) => [i.key, i.payload.from, i.payload.to]),
    ).toEqual([
      ['2026-03-01/00u1/department_changed', 'Sales', 'Engineering'],
      ['2026-03-01/00u1/admin_roles_changed', 'none', 'SUPER_ADMIN'],
      ['2026-03-01/00u2/joined', null, 'ACTIVE'],
      ['2026-03-01/00u3/left', 'ACTIVE', 'DEPROVISIONED'],
    ]);
    expect(Object.keys((cursor.latest as { state: object }).state)).toEqual(['00u1', '00u2', '00u3']);
  });

  it('okta-lifecycle-events: since/until/filter, Link paging, a 429 waited out until X-Rate-Limit-Reset, a bad record rejected', async () => {
    const event = (uuid: string, eventType: string, published: string) => ({
      uuid,
      published,
      eventType,
      displayMessage: 'Deactivate Okta user',
      severity: 'INFO',
      actor: { id: '00uadm', type: 'User', alternateId: 'admin@acme.com', displayName: 'Admin' },
      target: [{ id: '00u3', type: 'User', alternateId: 'c@acme.com', displayName: 'C' }],
      outcome: { result: 'SUCCESS', reason: null },
      client: { ipAddress: '198.51.100.1' },
    });
    const reset = Math.ceil(Date.now() / 1_000) + 1;
    const first = nock(ORG)
      .get('/api/v1/logs')
      .query((query) => {
        expect(query).toMatchObject({
          since: '2026-03-01T00:00:00.000Z',
          until: '2026-03-02T00:00:00.000Z',
          sortOrder: 'ASCENDING',
          limit: '200',
        });
        expect(String(query.filter)).toContain('eventType eq "user.lifecycle.deactivate" or ');
        return true;
      })
      .reply(
        200,
        [event('e1', 'user.lifecycle.deactivate', '2026-03-01T10:00:00.000Z'), { uuid: 'broken' }],
        {
          link: `<${ORG}/api/v1/logs?after=e1>; rel="next"`,
        },
      )
      .get('/api/v1/logs')
      .query({ after: 'e1' })
      .reply(
        429,
        { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' },
        {
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(reset),
        },
      )
      .get('/api/v1/logs')
      .query({ after: 'e1' })
      .reply(200, [event('e2', 'user.account.privilege.grant', '2026-03-01T11:00:00.000Z')]);
    const { items, rejects } = await collect(oktaLifecycleEvents);
    expect(first.isDone()).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1_000 - 50);
    expect(items.map((i) => [i.key, i.payload.category, i.payload.outcome])).toEqual([
      ['e1', 'user_lifecycle', 'SUCCESS'],
      ['e2', 'admin_privilege', 'SUCCESS'],
    ]);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]?.reason).toMatch(/^System Log event field published/);
  });

  it('401 is a fatal credential error naming the variable, never the token; 5xx is retried', async () => {
    nock(ORG)
      .get('/api/v1/logs')
      .query(true)
      .reply(401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    await expect(collect(oktaLifecycleEvents)).rejects.toMatchObject({
      code: 'AUTH_INVALID',
      retry: 'fatal',
      message: expect.stringContaining('OKTA_API_TOKEN') as unknown,
    });
    nock(ORG).get('/api/v1/logs').query(true).reply(503, {}).get('/api/v1/logs').query(true).reply(200, []);
    expect((await collect(oktaLifecycleEvents)).items).toEqual([]);
    nock(ORG).get('/api/v1/logs').query(true).times(4).reply(502, 'Bad Gateway');
    await expect(collect(oktaLifecycleEvents)).rejects.toMatchObject({
      code: 'HTTP_502',
      retry: 'retriable',
    });
  });
});

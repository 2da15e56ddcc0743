import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { branchProtection } from '../../connectors/github/branch-protection.js';
import { orgAccess } from '../../connectors/github/org-access.js';
import type { CollectedItem, StreamDefinition } from '../../src/stream.js';
import { githubClient, githubConfig, silentLogger } from './support/harness.js';
import { recorded } from './support/recorded.js';
import { branchProtection as branchProtectionCheck } from '../../checks/branch-protection.js';
import { orgTwoFactor } from '../../checks/org-two-factor.js';
import { codesByKey } from '../support/memory-facts.js';

const API = 'https://api.github.com';
const ORG = 'octokit-fixture-org';
const WINDOW = { start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 2, 2) };
const repository = recorded('get-repository', 'get', '/repos/octokit-fixture-org/hello-world')
  .response as Record<string, unknown>;
const collaborators = recorded(
  'add-and-remove-repository-collaborator',
  'get',
  '/repos/octokit-fixture-org/add-and-remove-repository-collaborator/collaborators',
).response as Record<string, unknown>[];
const user = (login: string) => ({ ...(collaborators[0] as object), login });

async function collect(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per stream
  stream: StreamDefinition<any, any, any>,
  cursor?: Record<string, unknown>,
  config = githubConfig({ org: ORG }),
) {
  const items: CollectedItem<Record<string, unknown>>[] = [];
  const generator = stream.collect(WINDOW, cursor, {
    client: githubClient(config),
    logger: silentLogger,
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

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('github-branch-protection over HTTP (nock, @octokit/fixtures data)', () => {
  it('reads recorded protection, flags the unprotected repository, and diffs against the cursor', async () => {
    const protectedBody = recorded(
      'branch-protection',
      'put',
      '/repos/octokit-fixture-org/branch-protection/branches/main/protection',
      1,
    );
    const notProtected = recorded(
      'branch-protection',
      'get',
      '/repos/octokit-fixture-org/branch-protection/branches/main/protection',
    );
    const listed = (name: string) => ({
      ...repository,
      name,
      full_name: `${ORG}/${name}`,
      default_branch: 'main',
    });
    const scope = nock(API)
      .get(`/orgs/${ORG}/repos`)
      .query(true)
      .reply(200, [listed('guarded'), listed('open')])
      .get(`/repos/${ORG}/guarded/branches/main/protection`)
      .reply(200, protectedBody.response as nock.Body)
      .get(`/repos/${ORG}/guarded/rules/branches/main`)
      .query(true)
      .reply(200, [])
      .get(`/repos/${ORG}/open/branches/main/protection`)
      .reply(notProtected.status, notProtected.response as nock.Body)
      .get(`/repos/${ORG}/open/rules/branches/main`)
      .query(true)
      .reply(200, []);
    const previous = {
      day: '2026-02-28',
      repos: {
        [`${ORG}/guarded`]: {
          protected: true,
          requiredApprovals: 2,
          dismissStaleReviews: true,
          requiredStatusChecks: ['foo/bar'],
          enforceAdmins: true,
          forcePushesAllowed: false,
          deletionsAllowed: false,
          bypassActors: [],
          rulesets: [],
        },
      },
    };
    const { items, cursor } = await collect(branchProtection, previous);
    expect(scope.isDone()).toBe(true);
    const guarded = items.find((i) => i.key === `2026-03-01/${ORG}/guarded`)?.payload.state as Record<
      string,
      unknown
    >;
    const recordedBody = protectedBody.response as {
      required_pull_request_reviews?: { required_approving_review_count?: number };
    };
    expect(guarded).toMatchObject({
      protected: true,
      requiredStatusChecks: ['foo/bar'],
      requiredApprovals: recordedBody.required_pull_request_reviews?.required_approving_review_count ?? 0,
    });
    const codes = await codesByKey(branchProtectionCheck, branchProtection.id, items);
    expect(codes.get(`2026-03-01/${ORG}/open`)).toEqual(['default_branch_unprotected']);
    const changes = items.filter((i) => i.payload.type === 'change');
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.key.startsWith(`2026-03-01/${ORG}/guarded/`))).toBe(true);
    expect((cursor.repos as Record<string, unknown>)[`${ORG}/open`]).toMatchObject({ protected: false });
  });

  it('an org read with no repository in scope is one quiet item saying so, which the check reads', async () => {
    nock(API).get(`/orgs/${ORG}/repos`).query(true).reply(200, []);
    const { items } = await collect(branchProtection);
    const payload = { type: 'empty', org: ORG, description: `${ORG} read: no repository in scope` };
    expect(items).toEqual([{ key: '2026-03-01/#empty', occurredAt: WINDOW.start, quiet: true, payload }]);
    const row = (branchProtection.populationColumns ?? []).map((column) => column.value(items[0]! as never));
    expect(row).toEqual(['', '', 'empty', '2026-03-01', null, null, '', null, null, '', payload.description]);
    expect([...(await codesByKey(branchProtectionCheck, branchProtection.id, items)).keys()]).toEqual([]);
  });
});

describe('github-org-access over HTTP (nock)', () => {
  it('reads every member past 100, with role and 2FA, and outside collaborators with permissions', async () => {
    const everyone = Array.from({ length: 150 }, (_, i) => user(`member-${String(i).padStart(3, '0')}`));
    const scope = nock(API)
      .get(`/orgs/${ORG}/members`)
      .query({ role: 'admin', per_page: 100 })
      .reply(200, [user('member-000')])
      .get(`/orgs/${ORG}/members`)
      .query({ role: 'all', per_page: 100 })
      .reply(200, everyone.slice(0, 100), {
        link: `<${API}/organizations/1/members?role=all&per_page=100&page=2>; rel="next"`,
      })
      .get('/organizations/1/members')
      .query({ role: 'all', per_page: 100, page: 2 })
      .reply(200, everyone.slice(100))
      .get(`/orgs/${ORG}/outside_collaborators`)
      .query({ per_page: 100 })
      .reply(200, [user('octokit-fixture-user-a')])
      .get(`/orgs/${ORG}/members`)
      .query({ filter: '2fa_disabled', per_page: 100 })
      .reply(200, [user('member-149')])
      .get(`/orgs/${ORG}/outside_collaborators`)
      .query({ filter: '2fa_disabled', per_page: 100 })
      .reply(200, [])
      .get(`/orgs/${ORG}/repos`)
      .query(true)
      .reply(200, [repository])
      .get(`/repos/${ORG}/hello-world/collaborators`)
      .query({ affiliation: 'outside', per_page: 100 })
      .reply(200, collaborators.filter((c) => c.login === 'octokit-fixture-user-a') as nock.Body);
    // SAML SSO identities in two GraphQL pages; one identity is linked to no GitHub account yet.
    const identity = (login: string | null, nameId: string) => ({
      node: {
        guid: `guid-${nameId}`,
        samlIdentity: { nameId },
        scimIdentity: { username: null },
        user: login ? { login } : null,
      },
    });
    const saml = (edges: unknown[], hasNextPage: boolean, endCursor: string | null) => ({
      data: {
        organization: {
          samlIdentityProvider: { externalIdentities: { pageInfo: { hasNextPage, endCursor }, edges } },
        },
      },
    });
    const graphql = nock(API)
      .post('/graphql', (body: { variables: { after: string | null } }) => body.variables.after === null)
      .reply(
        200,
        saml([identity('member-000', 'm0@fixture.test'), identity(null, 'invited@fixture.test')], true, 'c1'),
      )
      .post('/graphql', (body: { variables: { after: string | null } }) => body.variables.after === 'c1')
      .reply(200, saml([identity('member-149', 'm149@fixture.test')], false, null));
    const { items } = await collect(orgAccess);
    expect(scope.isDone()).toBe(true);
    expect(graphql.isDone()).toBe(true);
    expect(items.find((i) => i.key === '2026-03-01/member-149')?.payload.samlIdentity).toBe(
      'm149@fixture.test',
    );
    expect(items.find((i) => i.key === '2026-03-01/member-000')?.payload.samlIdentity).toBe(
      'm0@fixture.test',
    );
    expect(items.find((i) => i.key === '2026-03-01/member-001')?.payload).not.toHaveProperty('samlIdentity');
    expect(items).toHaveLength(151);
    expect(items.find((i) => i.key === '2026-03-01/member-000')?.payload.role).toBe('admin');
    const codes = await codesByKey(orgTwoFactor, orgAccess.id, items);
    expect([...codes.keys()]).toEqual(['2026-03-01/member-149']);
    const outside = items.find((i) => i.key === '2026-03-01/octokit-fixture-user-a')?.payload;
    expect(outside).toMatchObject({ kind: 'outside_collaborator', twoFactor: 'enabled' });
    expect((outside?.repositories as unknown[]).length).toBe(1);
  });

  it('an org read that lists nobody is one quiet item saying so, which the 2FA check reads', async () => {
    nock(API)
      .get(`/orgs/${ORG}/members`)
      .query(true)
      .times(3)
      .reply(200, [])
      .get(`/orgs/${ORG}/outside_collaborators`)
      .query(true)
      .times(2)
      .reply(200, [])
      .post('/graphql')
      .reply(200, { data: { organization: { samlIdentityProvider: null } } });
    const { items } = await collect(orgAccess);
    const payload = {
      type: 'empty',
      org: ORG,
      description: `${ORG} read: no members and no outside collaborators`,
    };
    expect(items).toEqual([{ key: '2026-03-01/#empty', occurredAt: WINDOW.start, quiet: true, payload }]);
    const row = (orgAccess.populationColumns ?? []).map((column) => column.value(items[0]! as never));
    expect(row).toEqual(['2026-03-01', 'empty', '', '', '', '', '', '', payload.description]);
    expect([...(await codesByKey(orgTwoFactor, orgAccess.id, items)).keys()]).toEqual([]);
  });

  it.each([
    ['an org without SAML SSO', { data: { organization: { samlIdentityProvider: null } } }],
    [
      'a token that may not read the identities',
      { data: { organization: null }, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible' }] },
    ],
  ])('%s: members are observed without SAML identities, and the run succeeds', async (_case, reply) => {
    const scope = nock(API)
      .get(`/orgs/${ORG}/members`)
      .query(true)
      .times(3)
      .reply(200, [user('member-000')])
      .get(`/orgs/${ORG}/outside_collaborators`)
      .query(true)
      .times(2)
      .reply(200, [])
      .post('/graphql')
      .reply(200, reply);
    const { items } = await collect(orgAccess);
    expect(scope.isDone()).toBe(true);
    expect(items.map((i) => i.key)).toEqual(['2026-03-01/member-000']);
    expect(items[0]?.payload).not.toHaveProperty('samlIdentity');
  });
});

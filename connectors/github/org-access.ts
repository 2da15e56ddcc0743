import { z } from 'zod';
import { EvidenceError } from '../../src/errors.js';
import { emptySnapshotItem } from '../../src/empty-snapshot.js';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { GithubClient } from './client.js';
import type { GithubConfig } from './config.js';
import { repositoriesInScope } from './repositories.js';
import { samlIdentities } from './saml-identities.js';
import { snapshotDay } from './snapshot-day.js';
import { githubStreams } from './manifest.js';

const principalSchema = z.object({
  login: z.string(),
  kind: z.enum(['member', 'outside_collaborator']),
  role: z.string(),
  twoFactor: z.enum(['enabled', 'disabled', 'not_visible']),
  repositories: z.array(z.object({ repo: z.string(), permission: z.string() })),
  /** The IdP identity (SAML NameID) linked to the login where the org uses SAML SSO. */
  samlIdentity: z.string().optional(),
});
type Principal = z.infer<typeof principalSchema>;

const payloadSchema = z.discriminatedUnion('type', [
  principalSchema.extend({ type: z.literal('observation') }),
  z.object({
    type: z.literal('change'),
    login: z.string(),
    change: z.enum(['joined', 'left', 'role_changed', 'permissions_changed']),
    from: z.string().nullable(),
    to: z.string().nullable(),
    description: z.string(),
  }),
  /** The token could not see members' 2FA state (the filter needs an org owner): a fact, not silence. */
  z.object({
    type: z.literal('two_factor_not_visible'),
    org: z.string(),
    description: z.string(),
  }),
  /** The org was read and listed no member and no outside collaborator. */
  z.object({ type: z.literal('empty'), org: z.string(), description: z.string() }),
]);
type AccessPayload = z.infer<typeof payloadSchema>;

const cursorSchema = z.object({ day: z.string(), principals: z.record(z.string(), principalSchema) });
const usersSchema = z.array(z.object({ login: z.string() }));
const collaboratorsSchema = z.array(
  z.object({
    login: z.string(),
    role_name: z.string().optional(),
    permissions: z.record(z.string(), z.boolean()).optional(),
  }),
);

async function logins(client: GithubClient, route: string, params: Record<string, unknown>, what: string) {
  const found: string[] = [];
  for await (const page of client.pages(route, params, usersSchema, what, { conditional: true }))
    found.push(...page.map((user) => user.login));
  return found;
}

/** Logins without 2FA, or undefined when the token may not see it (only org owners may use the filter). */
async function withoutTwoFactor(
  client: GithubClient,
  route: string,
  org: string,
): Promise<Set<string> | undefined> {
  try {
    return new Set(await logins(client, route, { org, filter: '2fa_disabled' }, `list ${route} without 2FA`));
  } catch (error) {
    if (error instanceof EvidenceError && (error.code === 'AUTH_FORBIDDEN' || error.code === 'HTTP_422'))
      return undefined;
    throw error;
  }
}

function permissionOf(entry: z.infer<typeof collaboratorsSchema>[number]): string {
  if (entry.role_name) return entry.role_name;
  const granted = Object.entries(entry.permissions ?? {}).filter(([, on]) => on);
  return granted.at(-1)?.[0] ?? 'unknown';
}

async function readPrincipals(client: GithubClient) {
  const org = client.config.org;
  const admins = new Set(
    await logins(client, 'GET /orgs/{org}/members', { org, role: 'admin' }, `list admins of ${org}`),
  );
  const members = await logins(
    client,
    'GET /orgs/{org}/members',
    { org, role: 'all' },
    `list members of ${org}`,
  );
  const outside = await logins(
    client,
    'GET /orgs/{org}/outside_collaborators',
    { org },
    `list outside collaborators of ${org}`,
  );
  const memberNo2fa = await withoutTwoFactor(client, 'GET /orgs/{org}/members', org);
  const outsideNo2fa = await withoutTwoFactor(client, 'GET /orgs/{org}/outside_collaborators', org);
  const access = new Map<string, { repo: string; permission: string }[]>();
  if (outside.length > 0) {
    for (const repo of await repositoriesInScope(client)) {
      for await (const page of client.pages(
        'GET /repos/{owner}/{repo}/collaborators',
        { owner: repo.owner, repo: repo.name, affiliation: 'outside' },
        collaboratorsSchema,
        `list outside collaborators of ${repo.fullName}`,
        { conditional: true },
      ))
        for (const entry of page)
          access.set(entry.login, [
            ...(access.get(entry.login) ?? []),
            { repo: repo.fullName, permission: permissionOf(entry) },
          ]);
    }
  }
  const saml = await samlIdentities(client);
  // Only where linked, so members of an org without SAML SSO keep the payload (and hash) they always had.
  const identity = (login: string) => {
    const nameId = saml.get(login);
    return nameId === undefined ? {} : { samlIdentity: nameId };
  };
  const twoFactor = (login: string, hidden: Set<string> | undefined): Principal['twoFactor'] =>
    hidden === undefined ? 'not_visible' : hidden.has(login) ? 'disabled' : 'enabled';
  const principals: Principal[] = [
    ...members.map((login) => ({
      login,
      kind: 'member' as const,
      role: admins.has(login) ? 'admin' : 'member',
      twoFactor: twoFactor(login, memberNo2fa),
      repositories: [],
      ...identity(login),
    })),
    ...outside.map((login) => ({
      login,
      kind: 'outside_collaborator' as const,
      role: 'outside_collaborator',
      twoFactor: twoFactor(login, outsideNo2fa),
      repositories: (access.get(login) ?? []).sort((a, b) => a.repo.localeCompare(b.repo)),
      ...identity(login),
    })),
  ];
  return { principals, visible: memberNo2fa !== undefined && outsideNo2fa !== undefined };
}

function changesOf(before: Principal | undefined, after: Principal | undefined) {
  const login = (after ?? before)!.login;
  if (!before)
    return [
      {
        change: 'joined' as const,
        from: null,
        to: after!.role,
        description: `${login} joined as ${after!.role}`,
      },
    ];
  if (!after)
    return [
      { change: 'left' as const, from: before.role, to: null, description: `${login} (${before.role}) left` },
    ];
  const changes = [];
  if (before.role !== after.role)
    changes.push({
      change: 'role_changed' as const,
      from: before.role,
      to: after.role,
      description: `${login}: role changed from ${before.role} to ${after.role}`,
    });
  const show = (p: Principal) => p.repositories.map((r) => `${r.repo}:${r.permission}`).join(', ');
  if (show(before) !== show(after))
    changes.push({
      change: 'permissions_changed' as const,
      from: show(before),
      to: show(after),
      description: `${login}: repository access changed from [${show(before)}] to [${show(after)}]`,
    });
  return changes;
}

export const orgAccess = defineStream<GithubClient, AccessPayload, GithubConfig>({
  ...githubStreams['github-org-access'],
  windowsInOrder: true,
  retention: () => ({
    kind: 'snapshot',
    reason: 'GitHub shows only current membership; past days cannot be read',
  }),
  itemSchema: payloadSchema,
  populationColumns: [
    { header: 'Date (UTC)', value: ({ occurredAt }) => new Date(occurredAt).toISOString().slice(0, 10) },
    { header: 'Record', value: ({ payload }) => payload.type },
    {
      header: 'Login',
      value: ({ payload }) =>
        payload.type === 'two_factor_not_visible' || payload.type === 'empty' ? '' : payload.login,
    },
    { header: 'Kind', value: ({ payload }) => (payload.type === 'observation' ? payload.kind : '') },
    { header: 'Role', value: ({ payload }) => (payload.type === 'observation' ? payload.role : '') },
    { header: '2FA', value: ({ payload }) => (payload.type === 'observation' ? payload.twoFactor : '') },
    {
      header: 'Repositories',
      value: ({ payload }) =>
        payload.type === 'observation'
          ? payload.repositories.map((r) => `${r.repo}:${r.permission}`).join('; ')
          : '',
    },
    {
      header: 'SAML identity',
      value: ({ payload }) => (payload.type === 'observation' ? (payload.samlIdentity ?? '') : ''),
    },
    { header: 'Change', value: ({ payload }) => (payload.type === 'observation' ? '' : payload.description) },
  ],
  async *collect(window, cursor, ctx) {
    const day = snapshotDay(window.start);
    const previous = cursorSchema.safeParse(cursor ?? {});
    const { principals, visible } = await readPrincipals(ctx.client);
    if (!visible) {
      // Never an empty list: the auditor must see that 2FA could not be checked.
      const description = `2FA status of ${ctx.client.config.org} is not visible to this token (the 2fa_disabled filter needs an org owner)`;
      const finding: CollectedItem<AccessPayload> = {
        key: `${day}/#2fa-status`,
        occurredAt: window.start,
        payload: { type: 'two_factor_not_visible', org: ctx.client.config.org, description },
      };
      yield finding;
    }
    if (principals.length === 0)
      yield emptySnapshotItem(day, window.start, {
        type: 'empty',
        org: ctx.client.config.org,
        description: `${ctx.client.config.org} read: no members and no outside collaborators`,
      } satisfies AccessPayload);
    for (const principal of principals) {
      yield {
        key: `${day}/${principal.login}`,
        occurredAt: window.start,
        payload: { type: 'observation', ...principal },
      };
    }
    const now = Object.fromEntries(principals.map((p) => [p.login, p]));
    if (previous.success) {
      const before = previous.data.principals;
      for (const login of [...new Set([...Object.keys(before), ...Object.keys(now)])].sort()) {
        for (const change of changesOf(before[login], now[login]))
          yield {
            key: `${day}/${login}/${change.change}`,
            occurredAt: window.start,
            payload: { type: 'change', login, ...change },
          };
      }
    }
    return { day, principals: now };
  },
});

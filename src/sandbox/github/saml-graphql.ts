import type { SandboxSamlIdentity } from './membership.js';

const cursorOf = (offset: number) => Buffer.from(`cursor:${offset}`).toString('base64');
const offsetOf = (cursor: unknown) =>
  typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64').toString('utf8').slice(7)) || 0 : 0;

/**
 * Answers `organization(login:) { samlIdentityProvider { externalIdentities(first:, after:) ... } }` as
 * GitHub does for an org with SAML SSO: one node per linked identity with `samlIdentity.nameId`,
 * `scimIdentity.username` and `user.login`, paged by cursor (both `edges` and `nodes` are served).
 */
export function answerSamlIdentities(
  org: string,
  /** null: the org does not use SAML SSO, and GitHub answers `samlIdentityProvider: null`. */
  identities: readonly SandboxSamlIdentity[] | null,
  query: string,
  variables: Record<string, unknown>,
): { status: number; json: unknown } {
  const login = variables.login ?? variables.org ?? /organization\(login:\s*"([^"]+)"/.exec(query)?.[1];
  if (login !== org)
    return {
      status: 200,
      json: {
        data: { organization: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['organization'],
            message: `Could not resolve to an Organization with the login of '${String(login)}'.`,
          },
        ],
      },
    };
  if (identities === null)
    return { status: 200, json: { data: { organization: { samlIdentityProvider: null } } } };
  const first = Math.min(Number(/externalIdentities\(first:\s*(\d+)/.exec(query)?.[1] ?? 100), 100);
  const offset = offsetOf(variables.after ?? variables.cursor);
  const page = identities.slice(offset, offset + first);
  const nodes = page.map((identity) => ({
    guid: identity.guid,
    samlIdentity: { nameId: identity.nameId, username: identity.nameId },
    scimIdentity: { username: identity.scimUsername },
    user: { login: identity.login },
  }));
  const end = offset + page.length;
  return {
    status: 200,
    json: {
      data: {
        organization: {
          samlIdentityProvider: {
            externalIdentities: {
              pageInfo: {
                hasNextPage: end < identities.length,
                endCursor: page.length ? cursorOf(end) : null,
              },
              edges: nodes.map((node, index) => ({ cursor: cursorOf(offset + index + 1), node })),
              nodes,
            },
          },
        },
      },
    },
  };
}

import { z } from 'zod';
import { EvidenceError } from '../../src/errors.js';
import type { GithubClient } from './client.js';

const QUERY = `query SamlIdentities($login: String!, $after: String) {
  organization(login: $login) {
    samlIdentityProvider {
      externalIdentities(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { guid samlIdentity { nameId } scimIdentity { username } user { login } } }
      }
    }
  }
}`;

const responseSchema = z.object({
  organization: z
    .object({
      samlIdentityProvider: z
        .object({
          externalIdentities: z.object({
            pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
            edges: z.array(
              z.object({
                node: z.object({
                  samlIdentity: z.object({ nameId: z.string().nullable() }).nullable(),
                  scimIdentity: z.object({ username: z.string().nullable() }).nullable(),
                  // null for an identity linked to no GitHub account yet (an invitation pending).
                  user: z.object({ login: z.string() }).nullable(),
                }),
              }),
            ),
          }),
        })
        .nullable(),
    })
    .nullable(),
});

/**
 * login -> the IdP identity (SAML NameID, else the SCIM user name) of every member linked through the org's
 * SAML SSO; empty when the org does not use SAML SSO or the token may not read its identities (then the
 * register links GitHub accounts by login or the mapping file).
 */
export async function samlIdentities(client: GithubClient): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    let data: z.infer<typeof responseSchema>;
    try {
      data = await client.graphql(
        QUERY,
        { login: client.config.org, after },
        responseSchema,
        `list SAML identities of ${client.config.org}`,
      );
    } catch (error) {
      if (error instanceof EvidenceError && error.code === 'GITHUB_NOT_VISIBLE') return found;
      throw error;
    }
    const identities = data.organization?.samlIdentityProvider?.externalIdentities;
    if (!identities) return found;
    for (const { node } of identities.edges) {
      const identity = node.samlIdentity?.nameId ?? node.scimIdentity?.username;
      if (node.user && identity) found.set(node.user.login, identity);
    }
    if (!identities.pageInfo.hasNextPage || !identities.pageInfo.endCursor) return found;
    after = identities.pageInfo.endCursor;
  }
}

import { readFileSync } from 'node:fs';
import { buildSchema, execute, parse, validate as validateGraphql, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PRODUCTION_CHANGES_QUERY,
  lateCommitsQuery,
  productionChangesQuery,
} from '../../connectors/github/production-changes-query.js';
import { startGithubSandbox, type GithubSandbox } from '../../src/sandbox/github/index.js';
import { excerpt, validate } from './support/openapi-validate.js';

const NOW = Date.UTC(2026, 5, 15, 8);

describe('the GitHub sandbox speaks GitHub', () => {
  let sandbox: GithubSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ seed: 5, now: NOW, days: 20, repos: 3 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${sandbox.url}${path}`, { headers: { authorization: 'token sandbox' } });
    expect(response.status, path).toBe(200);
    return response.json() as Promise<unknown>;
  };

  it(`answers REST with bodies that conform to ${excerpt.source.split(' ')[0]}`, async () => {
    const truth = sandbox.groundTruth;
    const withPr = truth.commits.find((c) => c.scenario === 'clean');
    const repo = withPr?.repo as string;
    const model = await get(`/repos/${repo}/commits`);
    expect(Array.isArray(model)).toBe(true);
    const pulls = (await get(`/repos/${repo}/commits/${withPr?.sha}/pulls`)) as { number: number }[];
    const number = pulls.at(-1)?.number as number;
    const api = truth.commits.filter((c) => c.repo === 'acme/api');
    const [oldest, newest] = [api[0]?.sha, api.at(-1)?.sha];
    const cases: [string, string][] = [
      ['GET /orgs/{org}/repos', '/orgs/acme/repos'],
      ['GET /repos/{owner}/{repo}', '/repos/acme/api'],
      ['GET /repos/{owner}/{repo}/activity', '/repos/acme/api/activity'],
      ['GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', `/repos/${repo}/pulls/${number}/reviews`],
      [
        'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
        `/repos/${repo}/commits/${withPr?.sha}/check-runs`,
      ],
      ['GET /repos/{owner}/{repo}/branches/{branch}', '/repos/acme/api/branches/main'],
      ['GET /repos/{owner}/{repo}/compare/{basehead}', `/repos/acme/api/compare/${oldest}...${newest}`],
      ['GET /repos/{owner}/{repo}/branches/{branch}/protection', '/repos/acme/api/branches/main/protection'],
      ['GET /repos/{owner}/{repo}/rules/branches/{branch}', '/repos/acme/web/rules/branches/main'],
      ['GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', '/repos/acme/web/rulesets/501'],
      ['GET /orgs/{org}/members', '/orgs/acme/members'],
      ['GET /orgs/{org}/outside_collaborators', '/orgs/acme/outside_collaborators'],
      ['GET /repos/{owner}/{repo}/collaborators', '/repos/acme/web/collaborators?affiliation=outside'],
    ];
    expect(cases.map(([route]) => route).sort()).toEqual(Object.keys(excerpt.responses).sort());
    for (const [route, path] of cases) {
      const body = await get(path);
      if (Array.isArray(body)) expect(body.length, path).toBeGreaterThan(0);
      expect(validate(body, excerpt.responses[route]!), route).toEqual([]);
    }
  });

  it('the schema check catches a body that does not conform', () => {
    const problems = validate([{ id: 1, login: 'x' }], excerpt.responses['GET /orgs/{org}/members']!);
    expect(problems.some((p) => p.includes('avatar_url: required'))).toBe(true);
  });

  let published: GraphQLSchema | undefined;
  const githubSchema = () => {
    const file = new URL('../../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url);
    // The published SDL defines two EnterpriseOwnerInfo fields twice; that does not touch our query.
    return (published ??= buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true }));
  };

  it("the connector's GraphQL query is valid against GitHub's published schema", () => {
    const schema = githubSchema();
    expect(validateGraphql(schema, parse(PRODUCTION_CHANGES_QUERY))).toEqual([]);
    // Several repositories in one query, as a window over many repositories reads them.
    expect(validateGraphql(schema, parse(productionChangesQuery([8, 8, 1, 35])))).toEqual([]);
    // A newest window's first page: the branch's counts before the window and from its end.
    expect(validateGraphql(schema, parse(productionChangesQuery([5, 5], true)))).toEqual([]);
    // Commits merged after their window was read, looked up by SHA across repositories.
    expect(validateGraphql(schema, parse(lateCommitsQuery([3, 1])))).toEqual([]);
    const broken = PRODUCTION_CHANGES_QUERY.replace('messageHeadline', 'headline');
    expect(validateGraphql(schema, parse(broken)).length).toBeGreaterThan(0);
  });

  it("the sandbox's GraphQL answers fit the published types (enums, nullability, shapes)", async () => {
    const truth = sandbox.groundTruth;
    const variables = {
      owner0: 'acme',
      name0: 'api',
      since: new Date(truth.historyStart).toISOString(),
      until: new Date(truth.historyEnd).toISOString(),
      after0: null,
    };
    const response = await fetch(`${sandbox.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'token sandbox', 'content-type': 'application/json' },
      body: JSON.stringify({ query: PRODUCTION_CHANGES_QUERY, variables }),
    });
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    // Re-executing the query over the answer with default resolvers re-serialises every field by its type
    // (default resolvers read fields by name, so the alias r0 is handed over as `repository`).
    const result = await execute({
      schema: githubSchema(),
      document: parse(PRODUCTION_CHANGES_QUERY),
      rootValue: { rateLimit: data.rateLimit, repository: data.r0 },
      variableValues: variables,
      // The history target is a Commit; rollup contexts name their type; every actor is a User.
      typeResolver: (value, _context, _info, abstractType) =>
        abstractType.name === 'GitObject'
          ? 'Commit'
          : abstractType.name === 'StatusCheckRollupContext'
            ? (value as { __typename: string }).__typename
            : 'User',
    });
    expect(result.errors ?? []).toEqual([]);
    expect(result.data).toEqual(data);
  });
});

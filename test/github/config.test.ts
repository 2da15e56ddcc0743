import { describe, expect, it } from 'vitest';
import { githubConfigSchema } from '../../connectors/github/config.js';
import { globToRegExp } from '../../connectors/github/repositories.js';
import { formatZodError } from '../../src/config/format-issue.js';

function problems(section: unknown): string {
  const parsed = githubConfigSchema.safeParse(section);
  if (parsed.success) return '';
  return formatZodError(parsed.error, section, 'config', 'connectors.github');
}

describe('connectors.github config', () => {
  it('names the field and what was expected', () => {
    expect(problems({ org: 'acme', repos: ['acme/api', 'foo'] })).toContain(
      'config: connectors.github.repos[1]: expected "owner/name"',
    );
    expect(problems({ repos: ['acme/api'] })).toContain('connectors.github.org');
    expect(problems({ org: 'acme', baseUrl: 'not a url' })).toContain('connectors.github.baseUrl');
    expect(
      problems({ org: 'acme', app: { appId: 'x', privateKeyFile: 'k.pem', installationId: 1 } }),
    ).toContain('connectors.github.app.appId');
    expect(problems({ org: 'acme', tokne: 'typo' })).toContain('tokne');
    expect(problems({ org: 'acme', graphqlInterval: 'fast' })).toContain(
      'connectors.github.graphqlInterval: expected a duration like "15m", "1h" or "90d"',
    );
  });

  it('accepts the documented shape with queue settings', () => {
    const parsed = githubConfigSchema.parse({
      org: 'acme',
      include: ['api-*'],
      exclude: ['*-sandbox'],
      baseUrl: 'https://ghe.example.com/api/v3',
      app: { appId: 1, privateKeyFile: 'app.pem', installationId: '42' },
      concurrency: 4,
      graphqlInterval: '0s',
    });
    expect(parsed).toMatchObject({ org: 'acme', concurrency: 4, enabled: true, graphqlInterval: 0 });
  });

  it('name patterns: * and ? only, whole name, case-insensitive', () => {
    expect(globToRegExp('api-*').test('api-gateway')).toBe(true);
    expect(globToRegExp('api-*').test('my-api-gateway')).toBe(false);
    expect(globToRegExp('svc-?').test('SVC-a')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

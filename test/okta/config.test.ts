import { describe, expect, it } from 'vitest';
import { createGoogleWorkspaceClient } from '../../connectors/google-workspace/client.js';
import { googleWorkspaceConfigSchema } from '../../connectors/google-workspace/config.js';
import { createOktaClient } from '../../connectors/okta/client.js';
import { oktaConfigSchema } from '../../connectors/okta/config.js';
import { formatZodError } from '../../src/config/format-issue.js';
import { UsageError } from '../../src/errors.js';

function problems(
  schema: typeof oktaConfigSchema | typeof googleWorkspaceConfigSchema,
  id: string,
  section: unknown,
) {
  const parsed = schema.safeParse(section);
  return parsed.success ? '' : formatZodError(parsed.error, section, 'config', `connectors.${id}`);
}

describe('connectors.okta and connectors.google-workspace config', () => {
  it('names the field and what was expected', () => {
    expect(problems(oktaConfigSchema, 'okta', {})).toContain('connectors.okta.orgUrl');
    expect(problems(oktaConfigSchema, 'okta', { orgUrl: 'acme' })).toContain('expected the Okta org URL');
    expect(problems(oktaConfigSchema, 'okta', { orgUrl: 'https://a.okta.com', pagesize: 3 })).toContain(
      'pagesize',
    );
    expect(problems(oktaConfigSchema, 'okta', { orgUrl: 'https://a.okta.com', oauth: {} })).toContain(
      'connectors.okta.oauth.clientId',
    );
    expect(problems(googleWorkspaceConfigSchema, 'google-workspace', { subject: 'nope' })).toContain(
      'connectors.google-workspace.subject: expected the email of a Workspace admin to impersonate',
    );
  });

  it('missing or malformed secrets are one-line usage errors naming where they are read from', () => {
    const okta = oktaConfigSchema.parse({ orgUrl: 'https://a.okta.com' });
    expect(() => createOktaClient(okta, {})).toThrow(UsageError);
    expect(() => createOktaClient(okta, {})).toThrow(/OKTA_API_TOKEN/);
    const google = googleWorkspaceConfigSchema.parse({ subject: 'admin@acme.com' });
    expect(() => createGoogleWorkspaceClient(google, {})).toThrow(/GOOGLE_SERVICE_ACCOUNT_KEY/);
    expect(() =>
      createGoogleWorkspaceClient(google, { GOOGLE_SERVICE_ACCOUNT_KEY: '{"type":"user"}' }),
    ).toThrow(
      'config: GOOGLE_SERVICE_ACCOUNT_KEY: type: expected a service account key ("type": "service_account")',
    );
    expect(() => createGoogleWorkspaceClient(google, { GOOGLE_SERVICE_ACCOUNT_KEY: 'not json' })).toThrow(
      UsageError,
    );
  });
});

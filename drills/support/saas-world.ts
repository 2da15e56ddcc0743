import { DAY } from '../../src/time.js';
import { startGoogleSandbox, type GoogleSandbox } from '../../src/sandbox/google/index.js';
import { startJiraSandbox, type JiraSandbox } from '../../src/sandbox/jira/index.js';
import { startLinearSandbox, type LinearSandbox } from '../../src/sandbox/linear/index.js';
import { startOktaSandbox, type OktaSandbox } from '../../src/sandbox/okta/index.js';

/** The event streams of the identity provider, the directory and the two ticket systems. */
export const SAAS_STREAMS = [
  'okta-lifecycle-events',
  'google-workspace-admin-events',
  'jira-change-tickets',
  'linear-change-tickets',
] as const;

/** Okta, Google Workspace, Jira and Linear sandboxes of one seeded company, and the config pointing at them. */
export interface SaasWorld {
  readonly okta: OktaSandbox;
  readonly google: GoogleSandbox;
  readonly jira: JiraSandbox;
  readonly linear: LinearSandbox;
  readonly from: string;
  readonly to: string;
  readonly connectors: string;
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

export async function startSaasWorld(seed: number, days: number): Promise<SaasWorld> {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const common = { seed, now: today + 60_000, days: 30 };
  const okta = await startOktaSandbox(common);
  const google = await startGoogleSandbox(common);
  const jira = await startJiraSandbox(common);
  const linear = await startLinearSandbox(common);
  const connectors = `  okta: { orgUrl: '${okta.url}', concurrency: 2 }
  google-workspace: { subject: '${google.adminEmail}', rootUrl: '${google.url}', tokenUrl: '${google.tokenUrl}', concurrency: 2 }
  jira: { site: '${jira.url}', projects: ${JSON.stringify([...jira.projects])}, concurrency: 2 }
  linear: { apiUrl: '${linear.url}', teams: ${JSON.stringify([...linear.teams])}, concurrency: 2 }
`;
  return {
    okta,
    google,
    jira,
    linear,
    from: day(today - days * DAY),
    to: day(today - DAY),
    connectors,
    env: {
      OKTA_API_TOKEN: 'okta-drill-token',
      GOOGLE_SERVICE_ACCOUNT_KEY: google.serviceAccountKey,
      JIRA_EMAIL: 'evidence-bot@acme.example',
      JIRA_API_TOKEN: 'jira-drill-token',
      LINEAR_API_KEY: 'lin_api_drill_key',
    },
    async stop() {
      await okta.stop();
      await google.stop();
      await jira.stop();
      await linear.stop();
    },
  };
}

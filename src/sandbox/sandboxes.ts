import { startAwsSandbox, type AwsSandbox } from './aws/index.js';
import { buildCompany } from './company/index.js';
import { startGithubSandbox, type GithubSandbox } from './github/index.js';
import { writeHrSandbox, type HrSandbox } from './hr/index.js';
import { startJiraSandbox, type JiraSandbox } from './jira/index.js';
import { startLinearSandbox, type LinearSandbox } from './linear/index.js';
import { startGoogleSandbox, type GoogleSandbox } from './google/index.js';
import { startOktaSandbox, type OktaSandbox } from './okta/index.js';
import { sandboxClock, type SandboxClock } from './sandbox-clock.js';

export interface Sandboxes {
  readonly github: GithubSandbox;
  readonly aws: AwsSandbox;
  readonly hr: HrSandbox;
  /** Change tickets named in the GitHub sandbox's pull requests (same seed, same history). */
  readonly jira: JiraSandbox;
  readonly linear: LinearSandbox;
  /** Okta and Google Workspace serve the same seeded company (src/sandbox/company). */
  readonly okta: OktaSandbox;
  readonly google: GoogleSandbox;
  /**
   * The one clock every sandbox answers by: `clock.set(at)` moves GitHub, AWS, Jira, Linear, Okta and
   * Google to their state at that moment and rewrites the HR export file as of it.
   */
  readonly clock: SandboxClock;
  /** Connector sections that point the real connectors at these sandboxes. */
  readonly connectors: Record<string, unknown>;
  /** Credentials the sandboxes accept (they check presence, not value). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export interface SandboxesOptions {
  readonly seed?: number;
  readonly now?: number;
  readonly days?: number;
  readonly host?: string;
  readonly githubPort?: number;
  readonly awsPort?: number;
  readonly jiraPort?: number;
  readonly linearPort?: number;
  readonly oktaPort?: number;
  readonly googlePort?: number;
  /** Okta calls per minute and route before 429 (wall clock); default Okta's 600. */
  readonly oktaPerMinute?: number;
  /** When the GitHub sandbox's planted protection changes happen; default: the end of its history. */
  readonly githubChangesAt?: number;
  /** When the GitHub sandbox's planted new repository is created; default: none. */
  readonly githubNewRepositoryAt?: number;
}

/** Starts the GitHub, AWS, Jira, Linear, Okta and Google Workspace sandboxes on loopback: a deterministic company generated from the seed. */
export async function startSandboxes(options: SandboxesOptions = {}): Promise<Sandboxes> {
  const clock = sandboxClock(options.now);
  const history = {
    seed: options.seed ?? 42,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
  };
  const common = { ...history, host: options.host ?? '127.0.0.1', clock };
  const github = await startGithubSandbox({
    ...common,
    ...(options.githubPort !== undefined ? { port: options.githubPort } : {}),
    ...(options.githubChangesAt !== undefined ? { changesAt: options.githubChangesAt } : {}),
    ...(options.githubNewRepositoryAt !== undefined
      ? { newRepositoryAt: options.githubNewRepositoryAt }
      : {}),
  });
  const aws = await startAwsSandbox({
    ...common,
    ...(options.awsPort !== undefined ? { port: options.awsPort } : {}),
  });
  const hr = writeHrSandbox(buildCompany(history), { clock });
  const jira = await startJiraSandbox({
    ...common,
    ...(options.jiraPort !== undefined ? { port: options.jiraPort } : {}),
  });
  const linear = await startLinearSandbox({
    ...common,
    ...(options.linearPort !== undefined ? { port: options.linearPort } : {}),
  });
  const okta = await startOktaSandbox({
    ...common,
    ...(options.oktaPort !== undefined ? { port: options.oktaPort } : {}),
    ...(options.oktaPerMinute !== undefined ? { perMinute: options.oktaPerMinute } : {}),
  });
  const google = await startGoogleSandbox({
    ...common,
    ...(options.googlePort !== undefined ? { port: options.googlePort } : {}),
  });
  const endpoint = aws.url;
  return {
    github,
    aws,
    hr,
    jira,
    linear,
    okta,
    google,
    clock,
    connectors: {
      // The sandbox has no secondary limits to respect: no pause between GraphQL queries.
      github: { org: 'acme', baseUrl: github.url, graphqlInterval: '0s' },
      jira: { site: jira.url, projects: [...jira.projects] },
      linear: { teams: [...linear.teams], apiUrl: linear.url },
      aws: {
        accounts: [
          {
            id: aws.groundTruth.accountId,
            regions: [...aws.regions],
            cloudtrail: { source: 's3', bucket: aws.bucket },
            identityCenter: {},
            endpoints: {
              iam: endpoint,
              cloudtrail: endpoint,
              s3: endpoint,
              sts: endpoint,
              identitystore: endpoint,
              ssoAdmin: endpoint,
            },
          },
        ],
      },
      'hr-file': { directory: hr.directory },
      okta: { orgUrl: okta.url },
      'google-workspace': { subject: google.adminEmail, rootUrl: google.url, tokenUrl: google.tokenUrl },
    },
    env: {
      GITHUB_TOKEN: 'ghp_sandbox_demo_token',
      AWS_ACCESS_KEY_ID: 'AKIASANDBOXDEMO00000',
      AWS_SECRET_ACCESS_KEY: 'sandbox-demo-secret-key',
      AWS_REGION: 'us-east-1',
      JIRA_EMAIL: 'evidence-bot@acme.example',
      JIRA_API_TOKEN: 'jira-sandbox-demo-token',
      LINEAR_API_KEY: 'lin_api_sandbox_demo_key',
      OKTA_API_TOKEN: 'okta-sandbox-demo-token',
      GOOGLE_SERVICE_ACCOUNT_KEY: google.serviceAccountKey,
    },
    async stop() {
      await github.stop();
      await aws.stop();
      await jira.stop();
      await linear.stop();
      await okta.stop();
      await google.stop();
    },
  };
}

import { startAwsSandbox, type AwsSandbox } from './aws/index.js';
import { startGithubSandbox, type GithubSandbox } from './github/index.js';
import { startGoogleSandbox, type GoogleSandbox } from './google/index.js';
import { startOktaSandbox, type OktaSandbox } from './okta/index.js';

export interface Sandboxes {
  readonly github: GithubSandbox;
  readonly aws: AwsSandbox;
  /** Okta and Google Workspace serve the same seeded company (src/sandbox/company). */
  readonly okta: OktaSandbox;
  readonly google: GoogleSandbox;
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
  readonly oktaPort?: number;
  readonly googlePort?: number;
}

/** Starts the GitHub, AWS, Okta and Google Workspace sandboxes on loopback: a deterministic company generated from the seed. */
export async function startSandboxes(options: SandboxesOptions = {}): Promise<Sandboxes> {
  const common = {
    seed: options.seed ?? 42,
    host: options.host ?? '127.0.0.1',
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
  };
  const github = await startGithubSandbox({
    ...common,
    ...(options.githubPort !== undefined ? { port: options.githubPort } : {}),
  });
  const aws = await startAwsSandbox({
    ...common,
    ...(options.awsPort !== undefined ? { port: options.awsPort } : {}),
  });
  const okta = await startOktaSandbox({
    ...common,
    ...(options.oktaPort !== undefined ? { port: options.oktaPort } : {}),
  });
  const google = await startGoogleSandbox({
    ...common,
    ...(options.googlePort !== undefined ? { port: options.googlePort } : {}),
  });
  const endpoint = aws.url;
  return {
    github,
    aws,
    okta,
    google,
    connectors: {
      // The sandbox has no secondary limits to respect: no pause between GraphQL queries.
      github: { org: 'acme', baseUrl: github.url, graphqlInterval: '0s' },
      aws: {
        accounts: [
          {
            id: aws.groundTruth.accountId,
            regions: [...aws.regions],
            cloudtrail: { source: 's3', bucket: aws.bucket },
            endpoints: { iam: endpoint, cloudtrail: endpoint, s3: endpoint, sts: endpoint },
          },
        ],
      },
      okta: { orgUrl: okta.url },
      'google-workspace': { subject: google.adminEmail, rootUrl: google.url, tokenUrl: google.tokenUrl },
    },
    env: {
      GITHUB_TOKEN: 'ghp_sandbox_demo_token',
      AWS_ACCESS_KEY_ID: 'AKIASANDBOXDEMO00000',
      AWS_SECRET_ACCESS_KEY: 'sandbox-demo-secret-key',
      AWS_REGION: 'us-east-1',
      OKTA_API_TOKEN: 'okta-sandbox-demo-token',
      GOOGLE_SERVICE_ACCOUNT_KEY: google.serviceAccountKey,
    },
    async stop() {
      await github.stop();
      await aws.stop();
      await okta.stop();
      await google.stop();
    },
  };
}

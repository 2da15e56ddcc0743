import type { Sandboxes } from '../sandbox/sandboxes.js';

export interface DemoConfigInput {
  readonly storeFile: string;
  /** Where the AWS sandbox's trail files were written. */
  readonly trailDir: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** The first day the simulated service schedules (YYYY-MM-DD). */
  readonly auditStart: string;
  readonly privateKeyFile: string;
  /** The company's declared service account and the work email of its owner. */
  readonly serviceAccount: { readonly login: string; readonly ownerEmail: string; readonly reason: string };
}

/** The demo's config (raw, before validation): every connector pointed at its sandbox. */
export function demoConfig(sandboxes: Sandboxes, input: DemoConfigInput): Record<string, unknown> {
  const awsSection = sandboxes.connectors.aws as { accounts: Record<string, unknown>[] };
  return {
    store: { url: `file:${input.storeFile}` },
    redis: { url: input.redisUrl, prefix: input.prefix },
    audit: { start: input.auditStart },
    connectors: {
      github: { ...(sandboxes.connectors.github as object), concurrency: 8 },
      // Change tickets named in the sandbox's pull requests: Jira (software and service desk) and Linear.
      jira: { ...(sandboxes.connectors.jira as object), concurrency: 4 },
      linear: { ...(sandboxes.connectors.linear as object), concurrency: 4 },
      aws: {
        accounts: awsSection.accounts.map((account) => ({
          ...account,
          cloudtrail: { source: 'dir', path: input.trailDir },
        })),
        concurrency: 8,
        // The sandbox's report is ready at once after generating: no wait between polls.
        credentialReportPollMs: 0,
      },
      okta: { ...(sandboxes.connectors.okta as object), concurrency: 4 },
      'google-workspace': { ...(sandboxes.connectors['google-workspace'] as object), concurrency: 4 },
      // The single export a company re-exports in place: the sandbox rewrites it as the clock moves.
      'hr-file': { file: sandboxes.hr.file },
    },
    // Trail status is observed daily here, not hourly: 2,160 hourly observations of 90 days would take the
    // demo well past a minute on a small machine. The service's default stays hourly.
    streams: { 'aws-trail-status': { cadence: '1d' } },
    // The company's integration account, declared as a service account with its owner (who leaves).
    people: {
      serviceAccounts: ['Okta', 'Google Workspace'].map((system) => ({
        system,
        account: input.serviceAccount.login,
        owner: input.serviceAccount.ownerEmail,
        reason: input.serviceAccount.reason,
      })),
    },
    queue: { attempts: 5, backoffMs: 200 },
    signing: { privateKey: input.privateKeyFile },
  };
}

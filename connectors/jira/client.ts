import { readFileSync } from 'node:fs';
import { ServiceDeskClient, Version3Client, type Config } from 'jira.js';
import type { z } from 'zod';
import { UsageError } from '../../src/errors.js';
import { registerSecret } from '../../src/secrets.js';
import type { JiraConfig } from './config.js';
import { toJiraError } from './errors.js';
import {
  approvalsPageSchema,
  changelogPageSchema,
  jiraIssueSchema,
  myselfSchema,
  searchPageSchema,
  type ChangelogEntry,
  type JiraIssue,
  type JsmApproval,
} from './responses.js';

/** Knobs tests turn down. */
export interface JiraTuning {
  /** First backoff step after a 5xx or a network failure (doubles each retry). */
  readonly retryBaseMs?: number;
  /** Retries of a 5xx or network failure within one call, before the queue's own retry. */
  readonly retries?: number;
  readonly timeoutMs?: number;
}

export interface SearchPage {
  /** Each raw issue: validated one by one, so one malformed issue is rejected, not fatal. */
  readonly issues: readonly unknown[];
  readonly nextPageToken: string | undefined;
}

/** What the Jira stream reads through: jira.js calls that validate, retry 5xx and map errors. */
export interface JiraClient {
  readonly config: JiraConfig;
  /** The account's time zone, in which Jira reads JQL dates; asked once. */
  timeZone(): Promise<string>;
  search(jql: string, nextPageToken: string | undefined): Promise<SearchPage>;
  /** Every changelog entry of the issue, oldest first, page after page. */
  changelog(key: string): Promise<ChangelogEntry[]>;
  /** Every JSM approval of a service-desk request. */
  approvals(key: string): Promise<JsmApproval[]>;
  readonly issueSchema: z.ZodType<JiraIssue>;
}

export const SEARCH_FIELDS = [
  'summary',
  'issuetype',
  'status',
  'resolution',
  'reporter',
  'assignee',
  'created',
  'updated',
  'resolutiondate',
  'fixVersions',
  'labels',
  'issuelinks',
  'project',
];

function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch {
    throw new UsageError(`config: connectors.jira.tokenFile: cannot read "${file}"`);
  }
  if (!token) throw new UsageError(`config: connectors.jira.tokenFile: "${file}" is empty`);
  return token;
}

function connection(config: JiraConfig, env: NodeJS.ProcessEnv): Config {
  const bearer = env.JIRA_OAUTH_TOKEN?.trim();
  if (bearer) {
    registerSecret(bearer);
    const host = config.cloudId ? `https://api.atlassian.com/ex/jira/${config.cloudId}` : config.site;
    return { host: host.replace(/\/$/, ''), authentication: { oauth2: { accessToken: bearer } } };
  }
  const apiToken = config.tokenFile ? readToken(config.tokenFile) : env.JIRA_API_TOKEN?.trim();
  const email = config.email ?? env.JIRA_EMAIL?.trim();
  if (!apiToken || !email)
    throw new UsageError(
      'config: connectors.jira: no Jira credentials: set JIRA_EMAIL (or connectors.jira.email) and JIRA_API_TOKEN (or connectors.jira.tokenFile), or JIRA_OAUTH_TOKEN',
    );
  registerSecret(apiToken);
  return { host: config.site.replace(/\/$/, ''), authentication: { basic: { email, apiToken } } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createJiraClient(
  config: JiraConfig,
  env: NodeJS.ProcessEnv,
  tuning: JiraTuning = {},
): JiraClient {
  const common: Config = {
    ...connection(config, env),
    baseRequestConfig: { timeout: tuning.timeoutMs ?? config.timeout ?? 30_000 },
  };
  const jira = new Version3Client(common);
  const desk = new ServiceDeskClient(common);
  const retries = tuning.retries ?? 3;
  const baseMs = tuning.retryBaseMs ?? 1_000;

  /** One call: 5xx and network failures retried with backoff here; the rest mapped and thrown. */
  const call = async <T>(what: string, schema: z.ZodType<T>, run: () => Promise<unknown>): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return schema.parse(await run());
      } catch (error) {
        const mapped = toJiraError(error, what);
        const transient = mapped.retry === 'retriable' && mapped.code !== 'RATE_LIMITED';
        if (!transient || attempt >= retries) throw mapped;
        await sleep(baseMs * 2 ** attempt);
      }
    }
  };

  let zone: Promise<string> | undefined;
  const timeZone = () => {
    zone ??= call('read the Jira account', myselfSchema, () => jira.myself.getCurrentUser()).then(
      (me) => me.timeZone ?? 'UTC',
      (error: unknown) => {
        zone = undefined;
        throw error;
      },
    );
    return zone;
  };

  const search = async (jql: string, nextPageToken: string | undefined): Promise<SearchPage> => {
    const page = await call(`search Jira issues (${jql})`, searchPageSchema, () =>
      jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
        jql,
        maxResults: config.pageSize,
        fields: SEARCH_FIELDS,
        ...(nextPageToken === undefined ? {} : { nextPageToken }),
      }),
    );
    return {
      issues: page.issues,
      nextPageToken: page.isLast === true ? undefined : (page.nextPageToken ?? undefined),
    };
  };

  const changelog = async (key: string): Promise<ChangelogEntry[]> => {
    const entries: ChangelogEntry[] = [];
    for (let startAt = 0; ;) {
      const page = await call(`read the changelog of ${key}`, changelogPageSchema, () =>
        jira.issues.getChangeLogs({ issueIdOrKey: key, startAt, maxResults: 100 }),
      );
      entries.push(...page.values);
      startAt = page.startAt + page.values.length;
      const done = page.isLast ?? (page.total === undefined || page.total === null || startAt >= page.total);
      if (done || page.values.length === 0) return entries;
    }
  };

  const approvals = async (key: string): Promise<JsmApproval[]> => {
    const values: JsmApproval[] = [];
    for (let start = 0; ;) {
      const page = await call(`read the JSM approvals of ${key}`, approvalsPageSchema, () =>
        desk.request.getApprovals({ issueIdOrKey: key, start, limit: 50 }),
      );
      values.push(...page.values);
      start += page.values.length;
      if (page.isLastPage !== false || page.values.length === 0) return values;
    }
  };

  return { config, timeZone, search, changelog, approvals, issueSchema: jiraIssueSchema };
}

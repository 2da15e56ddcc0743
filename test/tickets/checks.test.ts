import { describe, expect, it } from 'vitest';
import { changeTicketApproved } from '../../checks/change-ticket-approved.js';
import { changeTicketLinked } from '../../checks/change-ticket-linked.js';
import { builtInChecks } from '../../checks/index.js';
import { ticketColumns, ticketPolicySchema } from '../../checks/tickets/approval.js';
import { jiraTicketFactSchema, jiraTicketView } from '../../checks/tickets/ticket-facts.js';
import { linkChange, ticketIndex } from '../../checks/tickets/linkage.js';
import { linkagePolicySchema } from '../../checks/tickets/policy.js';
import { linkageOpenIn, type TicketCollection } from '../../checks/tickets/uncollected.js';
import { changeView, productionChangeFactSchema } from '../../checks/tickets/change-facts.js';
import { judge, memoryFacts } from './support/facts.js';

const T = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;
const iso = (at: number) => new Date(at).toISOString();
const period = { start: T - 30 * 24 * HOUR, end: T + 24 * HOUR };

/** A production change in the reshaped form (`pullRequests`), or the older single `pullRequest`. */
function commit(
  sha: string,
  pr: Record<string, unknown> | null,
  options: { old?: boolean; message?: string; author?: string } = {},
) {
  const full = pr && {
    number: 7,
    title: '',
    url: `https://github.example.test/acme/api/pull/${sha}`,
    author: 'alice',
    mergedAt: iso(T),
    baseRefName: 'main',
    ...pr,
  };
  return {
    key: `acme/api@${sha}`,
    occurredAt: T,
    payload: {
      type: 'commit',
      repo: 'acme/api',
      branch: 'main',
      sha,
      message: options.message ?? '',
      committedAt: iso(T),
      author: { login: options.author ?? 'alice', date: iso(T) },
      ...(options.old ? { pullRequest: full } : { pullRequests: full ? [full] : [] }),
      approvals: [],
      flags: [],
    },
  };
}

function jira(key: string, steps: [number, string][], extra: Record<string, unknown> = {}) {
  return {
    key,
    occurredAt: T + 2 * HOUR,
    payload: {
      key,
      project: { key: key.split('-')[0], type: 'software' },
      status: steps.at(-1)?.[1] ?? 'To Do',
      resolved: null,
      labels: [],
      transitions: steps.map(([at, to], index) => ({
        at: iso(at),
        by: null,
        from: index === 0 ? 'To Do' : steps[index - 1]![1],
        to,
      })),
      approvalFieldChanges: [],
      approvals: null,
      ...extra,
    },
  };
}

const streams = changeTicketLinked.streams;

describe('change ticket checks', () => {
  it('are listed, cite CC8.1 / A.8.32 and parse {} to their defaults (strict)', () => {
    expect(builtInChecks).toEqual(expect.arrayContaining([changeTicketLinked, changeTicketApproved]));
    for (const check of [changeTicketLinked, changeTicketApproved]) {
      expect(check.criteria).toEqual(['CC8.1']);
      expect(check.isoControls).toEqual(['A.8.32']);
      expect(check.policy.safeParse({}).success).toBe(true);
      expect(check.policy.safeParse({ approvedStatus: ['x'] }).success).toBe(false);
    }
  });

  it('reads keys from title, body, branch (any case) and commit message, in both stored shapes', async () => {
    const facts = memoryFacts(streams, {
      'github-production-changes': [
        commit('a1', { title: 'CHG-1 fix login' }),
        commit('a2', { title: 'fix', body: 'Implements CHG-2.' }),
        commit('a3', { title: 'fix', headRefName: 'alice/chg-3-login' }),
        commit('a4', null, { message: 'Hotfix for CHG-4' }),
        commit('a5', { title: 'CHG-5 old shape' }, { old: true }),
        commit('a6', { title: 'fix', headRefName: 'fix-2' }),
        commit('a7', { title: 'Bump UTF-8 parser' }),
        commit('a8', { title: 'CHG-99 typo' }),
        commit('a9', { title: 'SEC-4 patch' }),
      ],
      'jira-change-tickets': ['CHG-1', 'CHG-2', 'CHG-3', 'CHG-4', 'CHG-5'].map((key) =>
        jira(key, [[T - HOUR, 'Approved']]),
      ),
    });
    const findings = await judge(changeTicketLinked, facts, period);
    expect(findings.map((finding) => `${finding.keys[0]} ${finding.code}`)).toEqual([
      'acme/api@a6 no_ticket',
      'acme/api@a7 no_ticket',
      'acme/api@a8 ticket_not_found',
      'acme/api@a9 ticket_not_found',
    ]);
    expect(findings[2]?.description).toContain('CHG-99 is not among the collected change tickets');
    expect(findings[3]?.description).toContain('SEC-4 belongs to no project of the change process (CHG)');
  });

  it('judges nothing where no ticket stream is collected (the change process is not in Jira or Linear)', async () => {
    const facts = memoryFacts(streams, { 'github-production-changes': [commit('z1', { title: 'no key' })] });
    expect(await judge(changeTicketLinked, facts, period)).toEqual([]);
    expect(await judge(changeTicketApproved, facts, period)).toEqual([]);
  });

  it('exempts dependency bots, chore labels, title patterns and whole repositories by policy', async () => {
    const facts = memoryFacts(streams, {
      'github-production-changes': [
        commit('b1', { title: 'Bump lodash', author: 'dependabot[bot]' }),
        commit('b2', { title: 'Tidy', labels: [{ name: 'chore' }] }),
        commit('b3', { title: 'docs: typo' }),
        commit('b4', { title: 'Refactor' }),
      ],
      'jira-change-tickets': [],
    });
    const all = await judge(changeTicketLinked, facts, period);
    expect(all.map((finding) => finding.keys[0])).toEqual(['acme/api@b3', 'acme/api@b4']);
    expect(
      await judge(changeTicketLinked, facts, period, { exempt: { titlePatterns: ['^docs:'] } }),
    ).toHaveLength(1);
    expect(
      await judge(changeTicketLinked, facts, period, { repositories: { 'acme/api': { exempt: true } } }),
    ).toEqual([]);
  });

  it('approval: status, approval field or JSM approval before the merge; closed-before-change as an option', async () => {
    const facts = memoryFacts(streams, {
      'github-production-changes': [
        commit('c1', { title: 'CHG-1' }),
        commit('c2', { title: 'CHG-2' }),
        commit('c3', { title: 'CHG-3' }),
        commit('c4', { title: 'CHG-4' }),
        commit('c5', { title: 'CHG-5' }),
      ],
      'jira-change-tickets': [
        jira('CHG-1', [
          [T - HOUR, 'Approved'],
          [T + HOUR, 'Done'],
        ]),
        jira('CHG-2', [[T + HOUR, 'Approved']]),
        jira('CHG-3', [[T - HOUR, 'Done']], {
          approvalFieldChanges: [{ at: iso(T - 2 * HOUR), field: 'Approvers', to: 'Bob' }],
        }),
        jira('CHG-4', [[T - HOUR, 'Implementing']], {
          approvals: [{ decision: 'approved', completedAt: iso(T - HOUR) }],
        }),
        jira(
          'CHG-5',
          [
            [T - 2 * HOUR, 'Approved'],
            [T - HOUR, 'Done'],
          ],
          { resolved: iso(T - HOUR) },
        ),
      ],
    });
    const findings = await judge(changeTicketApproved, facts, period);
    expect(findings.map((finding) => `${finding.keys.join(' ')} ${finding.code}`)).toEqual([
      'acme/api@c2 CHG-2 ticket_not_approved_before_merge',
    ]);
    expect(findings[0]?.description).toContain(`CHG-2 was approved at ${iso(T + HOUR)}, after the merge`);
    const strict = await judge(changeTicketApproved, facts, period, {
      closedBeforeChange: true,
      serviceDeskApprovals: false,
    });
    expect(strict.map((finding) => `${finding.keys[0]} ${finding.code}`)).toEqual([
      'acme/api@c2 ticket_not_approved_before_merge',
      'acme/api@c4 ticket_not_approved_before_merge',
      'acme/api@c5 ticket_closed_before_change',
    ]);
  });

  it('ticketColumns: ticket, status at merge and approval time for the production-changes population', () => {
    const tickets = [
      jira('CHG-1', [
        [T - 3 * HOUR, 'In Progress'],
        [T - HOUR, 'Approved'],
        [T + HOUR, 'Done'],
      ]),
      jira('CHG-2', [[T + HOUR, 'Approved']]),
    ].map((item) =>
      jiraTicketView('jira-change-tickets', jiraTicketFactSchema.parse(item.payload), item.occurredAt),
    );
    const index = ticketIndex(tickets);
    const policy = ticketPolicySchema.parse({});
    const of = (item: ReturnType<typeof commit>) =>
      ticketColumns(item.payload, item.occurredAt, index, policy);
    expect(of(commit('d1', { title: 'CHG-1 login' }))).toEqual({
      ticket: 'CHG-1',
      statusAtMerge: 'Approved',
      approvedAt: iso(T - HOUR),
    });
    expect(of(commit('d2', { title: 'CHG-2 and CHG-1' }))).toEqual({
      ticket: 'CHG-1; CHG-2',
      statusAtMerge: 'Approved; To Do',
      approvedAt: iso(T - HOUR),
    });
    expect(of(commit('d3', { title: 'no key' }))).toEqual({
      ticket: null,
      statusAtMerge: null,
      approvedAt: null,
    });
    expect(ticketColumns({ type: 'force_push', repo: 'acme/api' }, T, index, policy).ticket).toBeNull();
  });

  it('a gap counts only in the streams a missing key could be in, and a pull request waits for Linear', () => {
    const index = ticketIndex(
      [jira('CHG-1', [[T - HOUR, 'Approved']])].map((item) =>
        jiraTicketView('jira-change-tickets', jiraTicketFactSchema.parse(item.payload), item.occurredAt),
      ),
    );
    const gap = [{ start: T, end: T + HOUR }];
    const linearBehind: TicketCollection = {
      streams: ['jira-change-tickets', 'linear-change-tickets'],
      gaps: new Map([['linear-change-tickets', gap]]),
    };
    const jiraBehind: TicketCollection = { ...linearBehind, gaps: new Map([['jira-change-tickets', gap]]) };
    const open = (item: ReturnType<typeof commit>, collection: TicketCollection, projects?: string[]) => {
      const policy = linkagePolicySchema.parse(projects ? { projects } : {});
      const change = changeView(productionChangeFactSchema.parse(item.payload), item.occurredAt)!;
      return linkageOpenIn(linkChange(change, index, policy), index, collection, policy);
    };
    // A direct push naming a missing key of a Jira project: only Jira's gap leaves it open.
    const push = commit('e1', null, { message: 'Hotfix CHG-99' });
    expect(open(push, linearBehind)).toEqual([]);
    expect(open(push, jiraBehind)).toEqual(['jira-change-tickets']);
    // A key of a listed project no stream has shown yet may be in either system.
    expect(open(commit('e2', null, { message: 'Hotfix ENG-5' }), linearBehind, ['CHG', 'ENG'])).toEqual([
      'linear-change-tickets',
    ]);
    // With the projects listed, a key of another project is out of scope whatever is not collected.
    expect(open(commit('e3', null, { message: 'Hotfix SEC-5' }), jiraBehind, ['CHG'])).toEqual([]);
    expect(open(commit('e3', null, { message: 'Hotfix SEC-5' }), jiraBehind)).toEqual([
      'jira-change-tickets',
    ]);
    // A pull request naming no ticket: a Linear ticket not yet collected may link it; Jira's gap cannot.
    expect(open(commit('e4', { title: 'fix' }), linearBehind)).toEqual(['linear-change-tickets']);
    expect(open(commit('e4', { title: 'fix' }), jiraBehind)).toEqual([]);
  });
});

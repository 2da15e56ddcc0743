import { buildCommitModel, type CommitModel, type SandboxOptions } from '../github/org-model.js';
import { PEOPLE } from '../github/people.js';

/**
 * The change tickets of the sandbox company, derived from the GitHub sandbox's history without drawing
 * from its random generator (so the commit and pull-request ground truth stays as it was): every merged
 * pull request of an in-scope repository gets one ticket, named in its title. Repositories take turns:
 * a Jira software project (approval by status), the Linear team, a Jira service desk (JSM approvals).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface TicketProject {
  readonly system: 'jira' | 'linear';
  readonly key: string;
  /** Jira `projectTypeKey`; Linear teams are `linear`. */
  readonly type: 'software' | 'service_desk' | 'linear';
}

export const TICKET_PROJECTS: readonly TicketProject[] = [
  { system: 'jira', key: 'CHG', type: 'software' },
  { system: 'linear', key: 'ENG', type: 'linear' },
  { system: 'jira', key: 'OPS', type: 'service_desk' },
];

/** A key of a project no connector collects, planted in one pull request title. */
export const OUT_OF_SCOPE_PROJECT = 'SEC';

/**
 * What a change is planted as: `linked` (its ticket approved before the merge), `attachment_only` (no key
 * in the title, the Linear ticket links the pull request), `no_ticket`, `other_project`,
 * `approved_after_merge`, `direct_push` (no pull request, no ticket).
 */
export type ChangeCase =
  'linked' | 'attachment_only' | 'no_ticket' | 'other_project' | 'approved_after_merge' | 'direct_push';

/** One status change of a ticket's history. */
export interface PlannedTransition {
  readonly at: number;
  readonly by: string;
  readonly from: string;
  readonly to: string;
}

export interface PlannedTicket {
  readonly project: TicketProject;
  readonly key: string;
  readonly number: number;
  readonly summary: string;
  readonly repo: string;
  readonly prNumber: number;
  readonly prUrl: string;
  readonly mergedAt: number;
  readonly reporter: string;
  readonly assignee: string;
  readonly approver: string;
  readonly createdAt: number;
  /** When approval was given: the Approved status (CHG, ENG) or the JSM approval (OPS). */
  readonly approvedAt: number;
  readonly doneAt: number;
  readonly transitions: readonly PlannedTransition[];
  /** A later edit (a label added) that makes the ticket updated again, days after it was done. */
  readonly relabelledAt: number | null;
  readonly case: ChangeCase;
}

export interface PlannedChange {
  /** The production-change natural key, `owner/repo@sha`. */
  readonly key: string;
  readonly repo: string;
  readonly mergedAt: number;
  readonly case: ChangeCase;
  /** The ticket the change must link to, when it has one in scope. */
  readonly ticketKey: string | null;
}

export interface TicketPlan {
  readonly historyStart: number;
  readonly historyEnd: number;
  readonly tickets: readonly PlannedTicket[];
  readonly changes: readonly PlannedChange[];
}

export type HistoryOptions = Required<
  Pick<SandboxOptions, 'seed' | 'now' | 'days' | 'repos' | 'commitsPerDay' | 'bigRepoCommits' | 'org'>
>;

/** The GitHub sandbox's defaults, so the ticket sandboxes rebuild the very same history. */
export function historyOptions(options: Partial<HistoryOptions> & { now?: number }): HistoryOptions {
  return {
    seed: options.seed ?? 1,
    now: options.now ?? Date.now(),
    days: options.days ?? 365,
    repos: options.repos ?? 3,
    commitsPerDay: options.commitsPerDay ?? 2,
    bigRepoCommits: options.bigRepoCommits ?? 0,
    org: options.org ?? 'acme',
  };
}

const JIRA_FLOW = { open: 'To Do', working: 'In Progress', approved: 'Approved', done: 'Done' };
const DESK_FLOW = { open: 'Open', working: 'Waiting for approval', approved: 'Implementing', done: 'Closed' };
const LINEAR_FLOW = { open: 'Todo', working: 'In Progress', approved: 'Approved', done: 'Done' };

function flowOf(project: TicketProject) {
  if (project.type === 'service_desk') return DESK_FLOW;
  return project.system === 'linear' ? LINEAR_FLOW : JIRA_FLOW;
}

/**
 * The planted cases, each the first pull request merged on or after its day counted back from the
 * history's end (which is the demo period's end): inside every demo period (7 days at the least) and
 * every year's backfill alike. One per repository; the attachment-only case only where Linear is used.
 */
const PLANTED: readonly { readonly daysBeforeEnd: number; readonly kind: ChangeCase }[] = [
  { daysBeforeEnd: 6, kind: 'no_ticket' },
  { daysBeforeEnd: 5, kind: 'other_project' },
  { daysBeforeEnd: 4, kind: 'approved_after_merge' },
  { daysBeforeEnd: 3, kind: 'attachment_only' },
];

/** The planted case of each pull-request commit (by SHA) of one repository; the others are `linked`. */
function plantedCases(
  commits: readonly { sha: string; pr: { mergedAt: number } | null }[],
  historyEnd: number,
  project: TicketProject,
): Map<string, ChangeCase> {
  const merged = commits
    .flatMap((commit) => (commit.pr ? [{ sha: commit.sha, mergedAt: commit.pr.mergedAt }] : []))
    .sort((a, b) => a.mergedAt - b.mergedAt);
  const cases = new Map<string, ChangeCase>();
  for (const { daysBeforeEnd, kind } of PLANTED) {
    if (kind === 'attachment_only' && project.system !== 'linear') continue;
    const from = historyEnd - daysBeforeEnd * DAY;
    const commit = merged.find((entry) => entry.mergedAt >= from && !cases.has(entry.sha));
    if (commit) cases.set(commit.sha, kind);
  }
  return cases;
}

/** Derives the tickets from a commit model; the same model always gives the same tickets. */
export function planTickets(model: CommitModel): TicketPlan {
  const tickets: PlannedTicket[] = [];
  const changes: PlannedChange[] = [];
  const counters = new Map<string, number>();
  let inScope = 0;
  for (const repo of model.repositories) {
    if (repo.archived) continue;
    const project = TICKET_PROJECTS[inScope % TICKET_PROJECTS.length] as TicketProject;
    inScope += 1;
    const flow = flowOf(project);
    const planted = plantedCases(repo.commits, model.historyEnd, project);
    for (const commit of [...repo.commits].reverse()) {
      const key = `${repo.fullName}@${commit.sha}`;
      const pr = commit.pr;
      if (!pr) {
        changes.push({
          key,
          repo: repo.fullName,
          mergedAt: commit.committedAt,
          case: 'direct_push',
          ticketKey: null,
        });
        continue;
      }
      const kind = planted.get(commit.sha) ?? 'linked';
      if (kind === 'no_ticket' || kind === 'other_project') {
        changes.push({ key, repo: repo.fullName, mergedAt: pr.mergedAt, case: kind, ticketKey: null });
        continue;
      }
      const number = (counters.get(project.key) ?? 0) + 1;
      counters.set(project.key, number);
      const ticketKey = `${project.key}-${number}`;
      const m = pr.mergedAt;
      const createdAt = m - 26 * HOUR;
      const approvedAt = kind === 'approved_after_merge' ? m + 2 * HOUR : m - 3 * HOUR;
      const doneAt = Math.max(m + HOUR, approvedAt + HOUR);
      const approver = PEOPLE[(number + 3) % PEOPLE.length] as string;
      const transitions: PlannedTransition[] = [
        { at: createdAt + HOUR, by: pr.author, from: flow.open, to: flow.working },
        { at: approvedAt, by: approver, from: flow.working, to: flow.approved },
        { at: doneAt, by: pr.author, from: flow.approved, to: flow.done },
      ];
      tickets.push({
        project,
        key: ticketKey,
        number,
        summary: `Change request for ${repo.name} #${pr.number}`,
        repo: repo.fullName,
        prNumber: pr.number,
        prUrl: `https://github.example.test/${repo.fullName}/pull/${pr.number}`,
        mergedAt: m,
        reporter: PEOPLE[number % PEOPLE.length] as string,
        assignee: pr.author,
        approver,
        createdAt,
        approvedAt,
        doneAt,
        transitions,
        relabelledAt: number % 7 === 3 ? doneAt + 3 * DAY : null,
        case: kind,
      });
      changes.push({ key, repo: repo.fullName, mergedAt: m, case: kind, ticketKey });
    }
  }
  return { historyStart: model.historyStart, historyEnd: model.historyEnd, tickets, changes };
}

/** Where a pull request names its ticket: most in the title; some only in the body or the head branch. */
export function keyPlace(ticketKey: string): 'title' | 'body' | 'branch' {
  const number = Number(ticketKey.slice(ticketKey.lastIndexOf('-') + 1));
  if (number % 4 !== 0) return 'title';
  return ticketKey.startsWith('ENG-') ? 'branch' : 'body';
}

/**
 * Names each pull request's ticket in its title, body or head branch (and so in the squash commit's
 * message when in the title), in place. Only text is added; SHAs, times, authors and reviews stay as
 * generated.
 */
export function nameTicketsInTitles(model: CommitModel): TicketPlan {
  const plan = planTickets(model);
  const byChange = new Map(plan.changes.map((change) => [change.key, change]));
  for (const repo of model.repositories) {
    for (const commit of repo.commits) {
      const change = byChange.get(`${repo.fullName}@${commit.sha}`);
      const pr = commit.pr;
      if (!change || !pr) continue;
      // A squash commit repeats its pull request's title; a merge commit (from release) keeps its own.
      const squashed = commit.message === `${pr.title} (#${pr.number})`;
      if (change.case === 'other_project') pr.title = `${OUT_OF_SCOPE_PROJECT}-${pr.number} ${pr.title}`;
      else if (change.ticketKey !== null && change.case !== 'attachment_only') {
        const place = keyPlace(change.ticketKey);
        if (place === 'title') pr.title = `${change.ticketKey} ${pr.title}`;
        if (place === 'body') pr.body = `Implements ${change.ticketKey}.\n\n${pr.body}`;
        // Linear's branch names: lower case, the key first.
        if (place === 'branch')
          pr.headRef = pr.headRef.replace(/^feature\//, `feature/${change.ticketKey.toLowerCase()}-`);
      }
      if (squashed) commit.message = `${pr.title} (#${pr.number})`;
    }
  }
  return plan;
}

/** The plan of the company the GitHub sandbox with these options serves. */
export function ticketPlanOf(options: Partial<HistoryOptions> & { now?: number }): TicketPlan {
  return planTickets(buildCommitModel(historyOptions(options)));
}

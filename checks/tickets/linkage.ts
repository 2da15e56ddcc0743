import type { Fact, FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import { PRODUCTION_CHANGES } from '../support/production-change-facts.js';
import { changeView, productionChangeFactSchema, type ChangeView } from './change-facts.js';
import { exemption, namedKeys } from './keys.js';
import type { LinkagePolicy } from './policy.js';
import {
  jiraTicketFactSchema,
  jiraTicketView,
  linearTicketFactSchema,
  linearTicketView,
  type TicketView,
} from './ticket-facts.js';

export { PRODUCTION_CHANGES };
export const JIRA_TICKETS = 'jira-change-tickets';
export const LINEAR_TICKETS = 'linear-change-tickets';
export const TICKET_STREAMS = [JIRA_TICKETS, LINEAR_TICKETS] as const;
export const TICKET_CHECK_STREAMS = [PRODUCTION_CHANGES, ...TICKET_STREAMS] as const;
/** The ticket streams whose tickets link pull requests themselves (Linear attachments). */
export const LINKING_STREAMS: readonly string[] = [LINEAR_TICKETS];

/** The collected tickets, by key and by the pull requests they link. */
export interface TicketIndex {
  readonly byKey: ReadonlyMap<string, TicketView>;
  readonly byPullRequest: ReadonlyMap<string, readonly TicketView[]>;
  /** Projects and teams of the collected tickets. */
  readonly projects: ReadonlySet<string>;
  /** The same, per ticket stream: where a key of a known project can still turn up. */
  readonly projectsByStream: ReadonlyMap<string, ReadonlySet<string>>;
  /** Whether any ticket stream is collected here (else only `no_ticket` can be judged). */
  readonly collected: boolean;
}

export function ticketIndex(tickets: readonly TicketView[], collected = true): TicketIndex {
  const byKey = new Map<string, TicketView>();
  const byPullRequest = new Map<string, TicketView[]>();
  const projectsByStream = new Map<string, Set<string>>();
  for (const ticket of tickets) {
    byKey.set(ticket.key, ticket);
    const projects = projectsByStream.get(ticket.stream);
    if (projects) projects.add(ticket.project);
    else projectsByStream.set(ticket.stream, new Set([ticket.project]));
    for (const url of ticket.pullRequestUrls)
      byPullRequest.set(url, [...(byPullRequest.get(url) ?? []), ticket]);
  }
  const projects = new Set(tickets.map((ticket) => ticket.project));
  return { byKey, byPullRequest, projects, projectsByStream, collected };
}

/** Reads every collected ticket around the period (latest version of each key). */
export async function readTickets(facts: FactsReader, range: Window): Promise<TicketIndex> {
  const tickets: TicketView[] = [];
  let collected = false;
  if (facts.collected(JIRA_TICKETS)) {
    collected = true;
    for await (const fact of facts.items(JIRA_TICKETS, range, jiraTicketFactSchema))
      tickets.push(jiraTicketView(fact.stream, fact.payload, fact.occurredAt));
  }
  if (facts.collected(LINEAR_TICKETS)) {
    collected = true;
    for await (const fact of facts.items(LINEAR_TICKETS, range, linearTicketFactSchema))
      tickets.push(linearTicketView(fact.stream, fact.payload, fact.occurredAt));
  }
  return ticketIndex(tickets, collected);
}

/** How one production change relates to the change tickets. */
export type Linkage =
  | { readonly kind: 'exempt'; readonly change: ChangeView; readonly reason: string }
  | {
      readonly kind: 'linked';
      readonly change: ChangeView;
      readonly tickets: readonly TicketView[];
      readonly missing: readonly string[];
    }
  | { readonly kind: 'no_ticket'; readonly change: ChangeView }
  | {
      readonly kind: 'not_found';
      readonly change: ChangeView;
      readonly missing: readonly string[];
      readonly outOfScope: readonly string[];
    };

/** Pure: the tickets a change names (or that link its pull request), given the collected tickets. */
export function linkChange(change: ChangeView, index: TicketIndex, policy: LinkagePolicy): Linkage {
  const reason = exemption(change, policy);
  if (reason !== undefined) return { kind: 'exempt', change, reason };
  const projects = new Set(policy.projects ?? index.projects);
  const keys = namedKeys(change, policy, projects);
  const found = new Map<string, TicketView>();
  for (const key of keys.inScope) {
    const ticket = index.byKey.get(key);
    if (ticket) found.set(key, ticket);
  }
  for (const pr of change.pullRequests)
    for (const ticket of pr.url ? (index.byPullRequest.get(pr.url) ?? []) : []) found.set(ticket.key, ticket);
  const missing = keys.inScope.filter((key) => !found.has(key));
  if (found.size > 0) return { kind: 'linked', change, tickets: [...found.values()], missing };
  if (keys.inScope.length === 0 && keys.outOfScope.length === 0) return { kind: 'no_ticket', change };
  return { kind: 'not_found', change, missing, outOfScope: keys.outOfScope };
}

/** The range tickets are read over for a period. */
export function ticketRange(period: Window, policy: LinkagePolicy): Window {
  return { start: period.start - policy.ticketWindow, end: period.end + policy.ticketWindow };
}

/** Every commit of the period with its linkage, in occurredAt order (none when no ticket stream is collected). */
export async function* linkedChanges(
  facts: FactsReader,
  period: Window,
  policy: LinkagePolicy,
): AsyncGenerator<{ fact: Fact<unknown>; linkage: Linkage; index: TicketIndex }> {
  const index = await readTickets(facts, ticketRange(period, policy));
  // No ticket system collected here: the change process is not kept in Jira or Linear, nothing to judge.
  if (!index.collected) return;
  for await (const fact of facts.items(PRODUCTION_CHANGES, period, productionChangeFactSchema)) {
    const change = changeView(fact.payload, fact.occurredAt);
    if (change) yield { fact, linkage: linkChange(change, index, policy), index };
  }
}

export function describeChange(change: ChangeView): string {
  const pr = change.pullRequests[0];
  const what = pr ? `pull request #${pr.number} "${pr.title}"` : 'a direct push';
  return `${change.repo}@${change.sha.slice(0, 7)} (${what}, merged ${new Date(change.mergedAt).toISOString()})`;
}

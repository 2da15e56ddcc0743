import { defineCheck, type Finding } from '../src/checks/check.js';
import {
  describeChange,
  linkedChanges,
  PRODUCTION_CHANGES,
  ticketRange,
  TICKET_CHECK_STREAMS,
  type Linkage,
} from './tickets/linkage.js';
import { linkagePolicySchema, type LinkagePolicy } from './tickets/policy.js';
import { describeGaps, linkageOpenIn, RESOLVES, ticketCollection } from './tickets/uncollected.js';

const are = (keys: readonly string[], one: string, many: string) =>
  `${keys.join(', ')} ${keys.length === 1 ? one : many}`;

/** What the collected tickets say of a change that links none: no key named, or keys not found. */
function whyUnlinked(linkage: Extract<Linkage, { kind: 'not_found' }>, projects: string): string[] {
  return [
    ...(linkage.missing.length > 0
      ? [`${are(linkage.missing, 'is', 'are')} not among the collected change tickets`]
      : []),
    ...(linkage.outOfScope.length > 0
      ? [`${are(linkage.outOfScope, 'belongs', 'belong')} to no project of the change process (${projects})`]
      : []),
  ];
}

/**
 * Every production change names a change ticket of the change process (in its pull request's title, body
 * or branch, or its commit message; or a Linear ticket links the pull request), and that ticket exists.
 * Where a configured ticket stream is not yet collected as far as the changes, a change that links no
 * ticket is pending (`ticket_evidence_not_collected`), not an exception: its ticket may be in the gap.
 */
export const changeTicketLinked = defineCheck<LinkagePolicy>({
  id: 'change-ticket-linked',
  // 2: a change whose ticket may lie in a collection gap is ticket_evidence_not_collected.
  version: 2,
  title: 'Production change linked to a change ticket',
  description:
    'Each commit that reached a production branch is traceable to a change ticket of the configured Jira projects or Linear teams, and that ticket was collected.',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [...TICKET_CHECK_STREAMS],
  codes: {
    no_ticket: 'The change names no change ticket and no ticket links its pull request.',
    ticket_not_found:
      'The change names a ticket key that is not among the collected change tickets, or belongs to a project outside the change process.',
    ticket_evidence_not_collected: {
      means:
        'Not an exception yet: the change links no collected ticket, but a configured ticket stream (Jira or Linear) is not yet collected over the span its ticket may lie in; the finding resolves by itself once collection covers that span.',
      status: 'pending',
    },
  },
  policy: linkagePolicySchema,
  async *judge({ facts, period, policy }): AsyncIterable<Finding> {
    const collection = await ticketCollection(facts, ticketRange(period, policy));
    for await (const { fact, linkage, index } of linkedChanges(facts, period, policy)) {
      if (linkage.kind !== 'no_ticket' && linkage.kind !== 'not_found') continue;
      const base = {
        stream: PRODUCTION_CHANGES,
        keys: [fact.key],
        occurredAt: fact.occurredAt,
        subject: linkage.change.repo,
      };
      const change = describeChange(linkage.change);
      const projects = [...new Set(policy.projects ?? index.projects)].sort().join(', ');
      const open = linkageOpenIn(linkage, index, collection, policy);
      if (open.length > 0) {
        const said =
          linkage.kind === 'no_ticket'
            ? 'it names no change ticket and no ticket collected so far links it'
            : whyUnlinked(linkage, projects || 'none collected so far').join('; ');
        yield {
          ...base,
          code: 'ticket_evidence_not_collected',
          description: `${change}: ${said}, but ${describeGaps(open, collection)}; ${RESOLVES}.`,
        };
      } else if (linkage.kind === 'no_ticket')
        yield {
          ...base,
          code: 'no_ticket',
          description: `${change} names no change ticket in its title, body, branch or commit message, and no ticket links it.`,
        };
      else
        yield {
          ...base,
          code: 'ticket_not_found',
          description: `${change}: ${whyUnlinked(linkage, projects || 'none collected').join('; ')}.`,
        };
    }
  },
});

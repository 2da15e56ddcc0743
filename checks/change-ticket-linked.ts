import { defineCheck, type Finding } from '../src/checks/check.js';
import {
  describeChange,
  linkedChanges,
  PRODUCTION_CHANGES,
  TICKET_CHECK_STREAMS,
} from './tickets/linkage.js';
import { linkagePolicySchema, type LinkagePolicy } from './tickets/policy.js';

/**
 * Every production change names a change ticket of the change process (in its pull request's title, body
 * or branch, or its commit message; or a Linear ticket links the pull request), and that ticket exists.
 */
export const changeTicketLinked = defineCheck<LinkagePolicy>({
  id: 'change-ticket-linked',
  version: 1,
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
  },
  policy: linkagePolicySchema,
  async *judge({ facts, period, policy }): AsyncIterable<Finding> {
    for await (const { fact, linkage, index } of linkedChanges(facts, period, policy)) {
      const base = { stream: PRODUCTION_CHANGES, keys: [fact.key], occurredAt: fact.occurredAt };
      const subject = linkage.change.repo;
      if (linkage.kind === 'no_ticket')
        yield {
          ...base,
          code: 'no_ticket',
          subject,
          description: `${describeChange(linkage.change)} names no change ticket in its title, body, branch or commit message, and no ticket links it.`,
        };
      else if (linkage.kind === 'not_found') {
        const parts = [
          ...(linkage.missing.length > 0
            ? [
                `${linkage.missing.join(', ')} ${linkage.missing.length === 1 ? 'is' : 'are'} not among the collected change tickets`,
              ]
            : []),
          ...(linkage.outOfScope.length > 0
            ? [
                `${linkage.outOfScope.join(', ')} ${linkage.outOfScope.length === 1 ? 'belongs' : 'belong'} to no project of the change process (${[...new Set(policy.projects ?? index.projects)].sort().join(', ') || 'none collected'})`,
              ]
            : []),
        ];
        yield {
          ...base,
          code: 'ticket_not_found',
          subject,
          description: `${describeChange(linkage.change)}: ${parts.join('; ')}.`,
        };
      }
    }
  },
});

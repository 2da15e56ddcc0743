import { defineCheck, type Finding } from '../src/checks/check.js';
import { approvedAt, ticketPolicySchema, type TicketPolicy } from './tickets/approval.js';
import {
  describeChange,
  linkedChanges,
  PRODUCTION_CHANGES,
  ticketRange,
  TICKET_CHECK_STREAMS,
} from './tickets/linkage.js';
import { approvalOpenIn, describeGaps, RESOLVES, ticketCollection } from './tickets/uncollected.js';

const iso = (at: number) => new Date(at).toISOString();

/**
 * Every production change linked to a change ticket was approved through that ticket before it merged:
 * the ticket reached an approved status, or got an approval (approval field, JSM approval), by then.
 * Where the approval may lie in a ticket stream's collection gap, the change is pending
 * (`ticket_evidence_not_collected`), not an exception.
 */
export const changeTicketApproved = defineCheck<TicketPolicy>({
  id: 'change-ticket-approved',
  // 2: an approval that may lie in a collection gap is ticket_evidence_not_collected.
  version: 2,
  title: 'Production change approved in its ticket before merge',
  description:
    'Each production change linked to a change ticket was approved in that ticket (approved status, approval field or Jira Service Management approval) before the change merged.',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [...TICKET_CHECK_STREAMS],
  codes: {
    ticket_not_approved_before_merge:
      'No linked ticket reached the approved status or an approval before the change merged.',
    ticket_closed_before_change: 'A linked ticket was closed before the change merged (policy option).',
    ticket_evidence_not_collected: {
      means:
        'Not an exception yet: no linked ticket collected so far was approved before the merge, but a configured ticket stream (Jira or Linear) is not yet collected over the span the approval or another linked ticket may lie in; the finding resolves by itself once collection covers that span.',
      status: 'pending',
    },
  },
  policy: ticketPolicySchema,
  async *judge({ facts, period, policy }): AsyncIterable<Finding> {
    const collection = await ticketCollection(facts, ticketRange(period, policy));
    for await (const { fact, linkage, index } of linkedChanges(facts, period, policy)) {
      if (linkage.kind !== 'linked') continue;
      const { change, tickets } = linkage;
      const base = {
        stream: PRODUCTION_CHANGES,
        keys: [fact.key, ...tickets.map((ticket) => ticket.key)],
        occurredAt: fact.occurredAt,
        subject: change.repo,
      };
      const approvals = tickets.map((ticket) => ({ ticket, at: approvedAt(ticket, policy) }));
      if (!approvals.some((entry) => entry.at !== null && entry.at <= change.mergedAt)) {
        const said = approvals
          .map(({ ticket, at }) =>
            at === null
              ? `${ticket.key} was never approved`
              : `${ticket.key} was approved at ${iso(at)}, after the merge`,
          )
          .join('; ');
        const open = approvalOpenIn(change, tickets, linkage, index, collection, policy);
        yield open.length > 0
          ? {
              ...base,
              code: 'ticket_evidence_not_collected',
              description: `${describeChange(change)}: as collected so far, ${said}, but ${describeGaps(open, collection)}; ${RESOLVES}.`,
            }
          : {
              ...base,
              code: 'ticket_not_approved_before_merge',
              description: `${describeChange(change)}: ${said}.`,
            };
      }
      if (policy.closedBeforeChange) {
        const closed = tickets.filter(
          (ticket) => ticket.closedAt !== null && ticket.closedAt < change.mergedAt,
        );
        if (closed.length > 0)
          yield {
            ...base,
            code: 'ticket_closed_before_change',
            description: `${describeChange(change)}: ${closed.map((ticket) => `${ticket.key} was closed at ${iso(ticket.closedAt as number)}`).join('; ')}, before the merge.`,
          };
      }
    }
  },
});

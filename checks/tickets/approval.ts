import { z } from 'zod';
import { changeView, productionChangeFactSchema } from './change-facts.js';
import { linkChange, type TicketIndex } from './linkage.js';
import { approvalPolicyShape, linkagePolicyShape, type LinkagePolicy } from './policy.js';
import { statusAt, type TicketView } from './ticket-facts.js';

export const approvalPolicySchema = z.object(approvalPolicyShape);
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** The policy of both columns and the approval check: linkage and what counts as approval. */
export const ticketPolicySchema = z.object({ ...linkagePolicyShape, ...approvalPolicyShape }).strict();
export type TicketPolicy = LinkagePolicy & ApprovalPolicy;

/** When the ticket was first approved under the policy, or null if it never was. */
export function approvedAt(ticket: TicketView, policy: ApprovalPolicy): number | null {
  const statuses = new Set(policy.approvedStatuses);
  const times = [
    ...ticket.statusChanges
      .filter((change) => change.to !== null && statuses.has(change.to))
      .map((change) => change.at),
    ...ticket.approvals
      .filter((approval) => (approval.kind === 'field' ? policy.approvalFields : policy.serviceDeskApprovals))
      .map((approval) => approval.at),
  ].filter(Number.isFinite);
  return times.length > 0 ? Math.min(...times) : null;
}

/** The production-changes population's ticket columns for one change. */
export interface TicketColumns {
  /** The linked ticket keys ("CHG-12; ENG-3"), or null when none was found. */
  readonly ticket: string | null;
  /** Each linked ticket's status when the change merged. */
  readonly statusAtMerge: string | null;
  /** The earliest approval of a linked ticket (ISO 8601 UTC), before or after the merge. */
  readonly approvedAt: string | null;
}

/**
 * Pure, for the export: the `Ticket`, `Ticket status at merge` and `Approved at` cells of a stored
 * production change, given the collected tickets (`readTickets`) and the ticket policy in force.
 */
export function ticketColumns(
  payload: unknown,
  occurredAt: number,
  index: TicketIndex,
  policy: TicketPolicy,
): TicketColumns {
  const parsed = productionChangeFactSchema.safeParse(payload);
  const change = parsed.success ? changeView(parsed.data, occurredAt) : undefined;
  if (!change) return { ticket: null, statusAtMerge: null, approvedAt: null };
  const linkage = linkChange(change, index, policy);
  if (linkage.kind !== 'linked') return { ticket: null, statusAtMerge: null, approvedAt: null };
  const tickets = [...linkage.tickets].sort((a, b) => a.key.localeCompare(b.key));
  const approvals = tickets
    .map((ticket) => approvedAt(ticket, policy))
    .filter((at): at is number => at !== null);
  return {
    ticket: tickets.map((ticket) => ticket.key).join('; '),
    statusAtMerge: tickets.map((ticket) => statusAt(ticket, change.mergedAt) ?? '(unknown)').join('; '),
    approvedAt: approvals.length > 0 ? new Date(Math.min(...approvals)).toISOString() : null,
  };
}

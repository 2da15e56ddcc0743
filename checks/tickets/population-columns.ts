import type { Logger } from 'pino';
import type { CheckInstance } from '../../src/checks/check-set.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { DerivedColumns } from '../../src/export/population-columns.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { Window } from '../../src/time.js';
import { ticketColumns, ticketPolicySchema, type TicketPolicy } from './approval.js';
import { PRODUCTION_CHANGES, readTickets, ticketRange, TICKET_CHECK_STREAMS } from './linkage.js';

export const TICKET_COLUMN_HEADERS = ['Ticket', 'Ticket status at merge', 'Approved at'] as const;

/**
 * The ticket policy the checks judge with: the approval check's (linkage and approval), else the linkage
 * check's with the approval defaults, so the columns and the findings never disagree.
 */
function policyInForce(checks: readonly CheckInstance[]): TicketPolicy {
  const of = (id: string) =>
    checks.find((check) => check.id === id)?.policy as Partial<TicketPolicy> | undefined;
  return { ...ticketPolicySchema.parse({}), ...of('change-ticket-linked'), ...of('change-ticket-approved') };
}

/**
 * The production-changes population's `Ticket`, `Ticket status at merge` and `Approved at` columns, read
 * through the same facts interface and linkage the ticket checks use. None where production changes or no
 * ticket system are collected (the change process is then not kept in Jira or Linear).
 */
export async function ticketPopulationColumns(input: {
  store: EvidenceStore;
  checks: readonly CheckInstance[];
  collectedStreams: readonly string[];
  period: Window;
  logger: Logger;
}): Promise<ReadonlyMap<string, DerivedColumns>> {
  const collected = new Set(input.collectedStreams);
  if (!collected.has(PRODUCTION_CHANGES)) return new Map();
  const policy = policyInForce(input.checks);
  const facts = new StoreFacts(
    input.store,
    'change-ticket-columns',
    new Set(TICKET_CHECK_STREAMS),
    collected,
    // The ticket checks report the same payload as fact_unreadable in the register.
    (fact) => input.logger.warn({ ...fact }, 'ticket columns: a stored ticket could not be read'),
  );
  const index = await readTickets(facts, ticketRange(input.period, policy));
  if (!index.collected) return new Map();
  const columns: DerivedColumns = {
    headers: TICKET_COLUMN_HEADERS,
    kinds: ['text', 'text', 'date'],
    cells(row) {
      const cells = ticketColumns(row.payload, row.occurredAt, index, policy);
      return [cells.ticket, cells.statusAtMerge, cells.approvedAt];
    },
  };
  return new Map([[PRODUCTION_CHANGES, columns]]);
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { DemoResult } from '../../src/demo/run-demo.js';
import type { ChangeCase } from '../../src/sandbox/tickets/plan.js';

/** The finding each planted case must get (check and code); `linked` and `attachment_only` get none. */
const EXPECTED: Partial<Record<ChangeCase, string>> = {
  no_ticket: 'change-ticket-linked no_ticket',
  // A push without pull request names no ticket either (the change-review check tells its own story).
  direct_push: 'change-ticket-linked no_ticket',
  other_project: 'change-ticket-linked ticket_not_found',
  approved_after_merge: 'change-ticket-approved ticket_not_approved_before_merge',
};

const TICKET_CHECKS = ['change-ticket-linked', 'change-ticket-approved'];

/**
 * Issue 15 on the demo-shaped run: every change the sandbox planted (no ticket, a key of another project,
 * approved after the merge, a direct push) gets exactly its finding, once; every other change of the
 * period has no ticket finding and its population row names the very ticket the company planned.
 */
export function assertTicketFindings(result: DemoResult): void {
  const { period } = result;
  const changes = result.planted.tickets.changes.filter(
    (change) => change.mergedAt >= period.start && change.mergedAt < period.end,
  );
  // Every kind of case lies inside the period, so none of the expectations below is vacuous.
  const cases = new Set(changes.map((change) => change.case));
  for (const kind of ['linked', 'attachment_only', ...Object.keys(EXPECTED)])
    expect(cases.has(kind as ChangeCase), `a ${kind} change in the period`).toBe(true);

  const expected = changes
    .filter((change) => EXPECTED[change.case] !== undefined)
    .map((change) => `${change.key} ${EXPECTED[change.case]}`)
    .sort();
  const found = TICKET_CHECKS.flatMap((id) =>
    result.findings.forCheck(id).map((finding) => `${finding.keys[0]} ${id} ${finding.code}`),
  ).sort();
  expect(found).toEqual(expected);

  // The late approval is found on the planned ticket, and the foreign key is named as out of scope.
  for (const change of changes.filter((entry) => entry.case === 'approved_after_merge')) {
    const finding = result.findings
      .forCheck('change-ticket-approved')
      .find((entry) => entry.keys[0] === change.key);
    expect(finding?.keys.slice(1)).toEqual([change.ticketKey]);
  }
  for (const finding of result.findings
    .forCheck('change-ticket-linked')
    .filter((entry) => entry.code === 'ticket_not_found'))
    expect(finding.description).toMatch(/SEC-\d+ belongs to no project of the change process/);

  // Every change links to its ticket: the production-changes population names it in its Ticket column.
  const label = result.auditorPackage.period.label;
  const rows = parse(
    readFileSync(path.join(result.auditorPackage.out, `CC8.1_Production_Changes_${label}.csv`), 'utf8'),
    { columns: true, bom: true },
  ) as Record<string, string>[];
  const ticketOf = new Map(rows.map((row) => [row['Item key'], row['Ticket'] ?? '']));
  expect(
    changes.map((change) => ({ change: change.key, ticket: ticketOf.get(change.key) ?? 'no row' })),
  ).toEqual(changes.map((change) => ({ change: change.key, ticket: change.ticketKey ?? '' })));
  expect(changes.filter((change) => change.ticketKey !== null).length).toBeGreaterThan(100);
}

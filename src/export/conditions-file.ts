import path from 'node:path';
import type { AuditPeriod } from './audit-period.js';
import { tableLayout, type TableCell } from './column-kind.js';
import type { Condition } from './conditions.js';
import { openTableFiles, type RowPlace } from './table-files.js';
import type { ExtraSheet } from './xlsx-extra-sheet.js';

/** The sheet of the register workbook that holds the conditions (the CSV beside it holds the same rows). */
export const CONDITIONS_SHEET = 'Conditions';

const COLUMNS = tableLayout([
  { header: 'Criterion', kind: 'text' },
  { header: 'All criteria', kind: 'text' },
  { header: 'ISO 27001:2022 controls', kind: 'text' },
  { header: 'Stream', kind: 'text' },
  { header: 'Check', kind: 'text' },
  { header: 'Finding', kind: 'text' },
  { header: 'Status', kind: 'text' },
  { header: 'Subject', kind: 'text' },
  { header: 'First seen (UTC)', kind: 'date' },
  { header: 'Last seen (UTC)', kind: 'date' },
  { header: 'Observations', kind: 'number' },
  { header: 'Kind of finding', kind: 'text' },
  { header: 'Open at period end', kind: 'text' },
  { header: 'Latest description', kind: 'text' },
  { header: 'Example item key', kind: 'text' },
  { header: 'First register row', kind: 'url' },
]);

/** What an event finding says in "Open at period end": it happened once, so it cannot be open. */
export const NOT_APPLICABLE_TO_EVENTS = 'not applicable (event)';

/** What "Kind of finding" and "Open at period end" mean, for the register's About sheet. */
export const OPEN_AT_PERIOD_END_NOTE = `"Open at period end" depends on the "Kind of finding". A state finding is about how something stood when observed (an account without MFA, an unused key, a setting): "yes" when the stream's last observation of the period still shows it, "no" when it was no longer seen. An event finding is about something that happened once (a change merged without review, a force push, a sign-in, a log file altered): it cannot be open or closed, so the column says "${NOT_APPLICABLE_TO_EVENTS}"; "Last seen" is when it last happened. Open counts in this package count state deviations only.`;

export function conditionsFileName(period: AuditPeriod): string {
  return `Exceptions_Conditions_${period.label}.csv`;
}

function conditionRow(condition: Condition, registerLink: (place: RowPlace) => string): TableCell[] {
  const { first } = condition;
  const open = condition.open ? 'yes' : 'no';
  return [
    first.criteria[0] ?? '',
    first.criteria.join(', '),
    first.isoControls.join(', '),
    first.stream,
    first.checkRef,
    first.code,
    condition.status,
    first.subject ?? '',
    new Date(condition.firstSeen).toISOString(),
    new Date(condition.lastSeen).toISOString(),
    condition.observations,
    condition.kind,
    condition.kind === 'event' ? NOT_APPLICABLE_TO_EVENTS : open,
    condition.latestDescription,
    first.keys[0] ?? '',
    {
      text: `${condition.register.sheet} row ${condition.register.row}`,
      link: registerLink(condition.register),
    },
  ];
}

function* conditionRows(conditions: readonly Condition[], registerLink: (place: RowPlace) => string) {
  for (const condition of conditions) yield conditionRow(condition, registerLink);
}

/**
 * The Conditions sheet of the register workbook. Its rows are read when the workbook closes, once every
 * register row has been grouped: `conditions` gives the list computed then.
 */
export function conditionsSheet(
  conditions: () => readonly Condition[],
  registerLink: (place: RowPlace) => string,
): ExtraSheet {
  return {
    name: CONDITIONS_SHEET,
    ...COLUMNS,
    rows: { [Symbol.iterator]: () => conditionRows(conditions(), registerLink) },
  };
}

/** The same conditions as a CSV beside the register, row for row as the sheet. */
export async function writeConditionsCsv(
  outDir: string,
  period: AuditPeriod,
  conditions: readonly Condition[],
  registerLink: (place: RowPlace) => string,
): Promise<{ csv: string; rows: number }> {
  const csv = conditionsFileName(period);
  const table = openTableFiles({
    csvPath: path.join(outDir, csv),
    sheetName: CONDITIONS_SHEET,
    headers: COLUMNS.headers,
  });
  try {
    for (const row of conditionRows(conditions, registerLink)) await table.addRow(row);
  } finally {
    await table.close();
  }
  return { csv, rows: table.rows };
}

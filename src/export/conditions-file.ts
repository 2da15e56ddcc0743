import path from 'node:path';
import type { AuditPeriod } from './audit-period.js';
import { tableLayout, type TableCell } from './column-kind.js';
import type { Condition, ConditionGroups } from './conditions.js';
import { openTableFiles, type RowPlace } from './table-files.js';
import type { ExtraSheet } from './xlsx-target.js';

/** The sheet of the register workbook that holds the conditions (the CSV beside it holds the same rows). */
export const CONDITIONS_SHEET = 'Conditions';

const COLUMNS = tableLayout([
  { header: 'Criterion', kind: 'text' },
  { header: 'All criteria', kind: 'text' },
  { header: 'ISO 27001:2022 controls', kind: 'text' },
  { header: 'Stream', kind: 'text' },
  { header: 'Check', kind: 'text' },
  { header: 'Finding', kind: 'text' },
  { header: 'Subject', kind: 'text' },
  { header: 'First seen (UTC)', kind: 'date' },
  { header: 'Last seen (UTC)', kind: 'date' },
  { header: 'Observations', kind: 'number' },
  { header: 'Open at period end', kind: 'text' },
  { header: 'Latest description', kind: 'text' },
  { header: 'Example item key', kind: 'text' },
  { header: 'First register row', kind: 'url' },
]);

export function conditionsFileName(period: AuditPeriod): string {
  return `Exceptions_Conditions_${period.label}.csv`;
}

/** Where the n-th condition (0-based) is in the Conditions sheet, for a link from the index. */
export function conditionPlace(index: number): RowPlace {
  return { sheet: CONDITIONS_SHEET, row: index + 2 };
}

function conditionRow(condition: Condition, registerLink: (place: RowPlace) => string): TableCell[] {
  const { first } = condition;
  return [
    first.criteria[0] ?? '',
    first.criteria.join(', '),
    first.isoControls.join(', '),
    first.stream,
    first.checkRef,
    first.code,
    first.subject ?? '',
    new Date(condition.firstSeen).toISOString(),
    new Date(condition.lastSeen).toISOString(),
    condition.observations,
    condition.open ? 'yes' : 'no',
    condition.latestDescription,
    first.keys[0] ?? '',
    {
      text: `${condition.register.sheet} row ${condition.register.row}`,
      link: registerLink(condition.register),
    },
  ];
}

function* conditionRows(groups: ConditionGroups, registerLink: (place: RowPlace) => string) {
  for (const condition of groups.conditions()) yield conditionRow(condition, registerLink);
}

/**
 * The Conditions sheet of the register workbook. Its rows are read when the workbook closes, once every
 * register row has been grouped.
 */
export function conditionsSheet(
  groups: ConditionGroups,
  registerLink: (place: RowPlace) => string,
): ExtraSheet {
  return {
    name: CONDITIONS_SHEET,
    ...COLUMNS,
    rows: { [Symbol.iterator]: () => conditionRows(groups, registerLink) },
  };
}

/** The same conditions as a CSV beside the register, row for row as the sheet. */
export async function writeConditionsCsv(
  outDir: string,
  period: AuditPeriod,
  groups: ConditionGroups,
  registerLink: (place: RowPlace) => string,
): Promise<{ csv: string; rows: number; open: number }> {
  const csv = conditionsFileName(period);
  const table = openTableFiles({
    csvPath: path.join(outDir, csv),
    sheetName: CONDITIONS_SHEET,
    headers: COLUMNS.headers,
  });
  let open = 0;
  try {
    for (const condition of groups.conditions()) {
      await table.addRow(conditionRow(condition, registerLink));
      if (condition.open) open += 1;
    }
  } finally {
    await table.close();
  }
  return { csv, rows: table.rows, open };
}

import path from 'node:path';
import type { ControlReuse, CriterionEvidence } from '../readiness/evidence-map.js';
import type { AuditPeriod } from './audit-period.js';
import { tableLayout, type ColumnKind, type TableCell } from './column-kind.js';
import { exceptionsFileNames, rowLink, type ConditionRows, type RegisterRows } from './exceptions-file.js';
import { describeStatuses } from './finding-status.js';
import { extensionOf } from './naming.js';
import { openTableFiles } from './table-files.js';

const INDEX_COLUMNS = tableLayout([
  { header: 'Criterion', kind: 'text' },
  { header: 'Category', kind: 'text' },
  { header: 'Criterion topic', kind: 'text' },
  { header: 'ISO 27001:2022 origin', kind: 'text' },
  { header: 'Mapping source', kind: 'text' },
  { header: 'Streams', kind: 'text' },
  { header: 'Artefacts', kind: 'text' },
  { header: 'ISO artefacts that may evidence it', kind: 'text' },
  { header: 'Population size', kind: 'number' },
  { header: 'Items with deviations', kind: 'number' },
  { header: 'Exceptions register', kind: 'url' },
  { header: 'Conditions', kind: 'url' },
  { header: 'Rejected records', kind: 'text' },
  { header: 'Continuity %', kind: 'number' },
  { header: 'Files', kind: 'text' },
  { header: 'Evidenced', kind: 'text' },
]);

export interface IndexLinks {
  /** Per criterion, its rows in the exceptions register (a link from the index to the first). */
  readonly exceptions?: ReadonlyMap<string, RegisterRows>;
  /** Per criterion, its conditions (repeated findings grouped) in the register's Conditions sheet. */
  readonly conditions?: ReadonlyMap<string, ConditionRows>;
  readonly writtenAt?: number;
}

function registerCell(period: AuditPeriod, rows: RegisterRows | undefined): TableCell {
  if (!rows) return null;
  return {
    text: `${rows.count} row${rows.count === 1 ? '' : 's'}: ${describeStatuses(rows.statuses)}; first at row ${rows.first.row}`,
    link: rowLink(exceptionsFileNames(period).xlsx, rows.first),
  };
}

function conditionsCell(period: AuditPeriod, conditions: ConditionRows | undefined): TableCell {
  if (!conditions) return null;
  return {
    text: `${conditions.count} condition${conditions.count === 1 ? '' : 's'}: ${describeStatuses(conditions.statuses, `${conditions.open} open at period end`)}`,
    link: rowLink(exceptionsFileNames(period).xlsx, conditions.first),
  };
}

/** The index's Files sheet: one row per criterion and file, each file name a link to the file. */
function filesSheet(rows: readonly CriterionEvidence[]) {
  return {
    name: 'Files',
    headers: ['Criterion', 'File', 'Format'],
    kinds: ['text', 'url', 'text'] as ColumnKind[],
    rows: rows.flatMap((row) =>
      row.files.map((file) => [row.criterion, { text: file, link: file }, extensionOf(file).toUpperCase()]),
    ),
  };
}

export function indexFileNames(period: AuditPeriod): { csv: string; xlsx: string } {
  return {
    csv: `Control_Evidence_Index_${period.label}.csv`,
    xlsx: `Control_Evidence_Index_${period.label}.xlsx`,
  };
}

/** The seed article's control-to-evidence index: one row per criterion in scope. */
export async function writeIndexFiles(
  outDir: string,
  period: AuditPeriod,
  rows: readonly CriterionEvidence[],
  /** Records, files and conflicting duplicates each stream rejected in the period. */
  rejected: ReadonlyMap<string, number> = new Map(),
  links: IndexLinks = {},
): Promise<{ csv: string; xlsx: string }> {
  const names = indexFileNames(period);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Control-evidence index',
    ...INDEX_COLUMNS,
    about: {
      purpose:
        'The control-to-evidence index: one row per criterion in scope, with its ISO 27001 origin, the evidence that covers it and the files that hold that evidence.',
      period,
      ...(links.writtenAt === undefined ? {} : { writtenAt: links.writtenAt }),
      notes: [
        'The Files sheet lists every file of each criterion; each file name opens that file (keep the package folder together).',
        '"Items with deviations" counts the items of the criterion\'s populations with at least one deviation; an item whose findings are all evidence pending collection or evidence unreadable is not a deviation and is not counted.',
        '"Exceptions register" counts the criterion\'s register rows by status (deviation, evidence pending collection, evidence unreadable: see the register\'s About sheet) and opens the register at its first row; filter its "All criteria" column for the rest.',
        '"Conditions" counts the criterion\'s repeated findings grouped once each (same check, finding and subject), by status, and how many deviations are still open at period end (state findings only: an event such as a change merged without review cannot be open); it opens the register\'s Conditions sheet at the first.',
      ],
    },
    extraSheets: [filesSheet(rows)],
  });
  try {
    for (const row of rows) {
      await table.addRow([
        row.criterion,
        row.category,
        row.title,
        row.origins.map((pair) => pair.iso_control_id).join('; '),
        row.origins.map((pair) => `${pair.iso_control_id}: ${pair.origin} (${pair.source})`).join('; '),
        row.streams.map((entry) => entry.stream.id).join('; '),
        row.artefacts.map((entry) => `${entry.type.title} ${entry.artefact.period_label}`).join('; '),
        row.artefactTypes
          .map((type) => `${type.title} (${type.recurrence === 'none' ? 'kept per event' : type.recurrence})`)
          .join('; '),
        row.population,
        row.flagged.deviation,
        registerCell(period, links.exceptions?.get(row.criterion)),
        conditionsCell(period, links.conditions?.get(row.criterion)),
        row.streams
          .filter((entry) => (rejected.get(entry.stream.id) ?? 0) > 0)
          .map((entry) => `${entry.stream.id}: ${rejected.get(entry.stream.id)}`)
          .join('; '),
        row.continuityPercent === null ? null : Math.round(row.continuityPercent * 100) / 100,
        row.files.join('; '),
        row.evidenced ? 'yes' : 'NO EVIDENCE',
      ]);
    }
  } finally {
    await table.close();
  }
  return names;
}

const REUSE_HEADERS = [
  'ISO 27001:2022 control',
  'Title',
  'Theme',
  'Criteria it may support',
  'Of which in scope',
  'Mapping source',
  'Streams with items',
  'Artefacts',
  'Evidence exists',
];

/** The ISO reuse view: for each Annex A control, the criteria it may support and whether evidence exists. */
export async function writeReuseFiles(
  outDir: string,
  period: AuditPeriod,
  rows: readonly ControlReuse[],
  writtenAt?: number,
): Promise<{ csv: string; xlsx: string }> {
  const names = { csv: `ISO_27001_Reuse_${period.label}.csv`, xlsx: `ISO_27001_Reuse_${period.label}.xlsx` };
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'ISO reuse',
    headers: REUSE_HEADERS,
    about: {
      purpose:
        'The ISO 27001 reuse view: for each Annex A control, the SOC 2 criteria it may support and whether evidence for it exists in this package.',
      period,
      ...(writtenAt === undefined ? {} : { writtenAt }),
    },
  });
  try {
    for (const row of rows) {
      await table.addRow([
        row.control,
        row.title,
        row.theme,
        row.criteria.map((pair) => pair.tsc_criterion_id).join('; '),
        row.criteriaInScope.join('; '),
        row.criteria.map((pair) => `${pair.tsc_criterion_id}: ${pair.origin}`).join('; '),
        row.streams.join('; '),
        row.artefacts.join('; '),
        row.evidenceExists ? 'yes' : 'no',
      ]);
    }
  } finally {
    await table.close();
  }
  return names;
}

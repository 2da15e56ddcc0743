import path from 'node:path';
import type { CodedFinding } from '../checks/finding-codes.js';
import type { PeriodFindings, RecordedFinding } from '../checks/judge-period.js';
import type { StreamInstance } from '../registry.js';
import type { ConflictingDuplicateRow } from '../store/reject-log.js';
import type { AuditPeriod } from './audit-period.js';
import { tableLayout, type TableCell } from './column-kind.js';
import {
  conditionsFileName,
  conditionsSheet,
  CONDITIONS_SHEET,
  OPEN_AT_PERIOD_END_NOTE,
  writeConditionsCsv,
} from './conditions-file.js';
import {
  ConditionGroups,
  conditionsByCriterion,
  type Condition,
  type CriterionConditions,
  type LastObservation,
  type Observation,
} from './conditions.js';
import {
  CONFLICTING_DUPLICATE,
  countStatuses,
  describeStatuses,
  STATUS_NOTE,
  type FindingStatus,
  type StatusCounts,
} from './finding-status.js';
import { rowPlace } from './sheet-places.js';
import { openTableFiles, ROWS_PER_SHEET, type RowPlace } from './table-files.js';

// What the register's Check column says of a conflicting duplicate: no check gave it.
const SOURCE_READ = 'source read';

const COLUMNS = tableLayout([
  { header: 'Criterion', kind: 'text' },
  { header: 'All criteria', kind: 'text' },
  { header: 'ISO 27001:2022 controls', kind: 'text' },
  { header: 'Stream', kind: 'text' },
  { header: 'Evidence', kind: 'text' },
  { header: 'Item key', kind: 'text' },
  { header: 'Related keys', kind: 'text' },
  { header: 'Occurred at (UTC)', kind: 'date' },
  { header: 'Finding', kind: 'text' },
  { header: 'Status', kind: 'text' },
  { header: 'Description', kind: 'text' },
  { header: 'Check', kind: 'text' },
  { header: 'Population file', kind: 'url' },
]);

/** A criterion's rows in the register: how many of each status, and the first, for a link from the index. */
export interface RegisterRows {
  readonly count: number;
  readonly statuses: StatusCounts;
  readonly first: RowPlace;
}

/** A criterion's conditions, with where the first is in the Conditions sheet(s). */
export interface ConditionRows extends CriterionConditions {
  readonly first: RowPlace;
}

/** A relative link into a workbook of the package, to a cell Excel jumps to (`file.xlsx#'Sheet'!A5`). */
export function rowLink(file: string, place: RowPlace): string {
  return `${file}#'${place.sheet.replaceAll("'", "''")}'!A${place.row}`;
}

/** The register as written: its files, rows per criterion, and the conditions its rows group into. */
export interface ExceptionsRegister {
  readonly csv: string;
  readonly xlsx: string;
  readonly rows: number;
  /** Rows of each status: only deviations count as deviations. */
  readonly statuses: StatusCounts;
  readonly byCriterion: ReadonlyMap<string, RegisterRows>;
  readonly conditions: {
    readonly csv: string;
    readonly rows: number;
    readonly statuses: StatusCounts;
    /** Deviations that are state findings seen in the last observation of their stream. */
    readonly open: number;
    readonly byCriterion: ReadonlyMap<string, ConditionRows>;
  };
}

export function exceptionsFileNames(period: AuditPeriod): { csv: string; xlsx: string } {
  return { csv: `Exceptions_Register_${period.label}.csv`, xlsx: `Exceptions_Register_${period.label}.xlsx` };
}

/**
 * Register order: by stream (as configured), then when it happened, then item key, then check order,
 * so the same findings always give the same file.
 */
function registerOrder(streams: readonly StreamInstance[], findings: readonly RecordedFinding[]) {
  const rank = new Map(streams.map((stream, index) => [stream.id, index]));
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        (rank.get(a.finding.stream) ?? rank.size) - (rank.get(b.finding.stream) ?? rank.size) ||
        a.finding.occurredAt - b.finding.occurredAt ||
        (a.finding.keys[0] ?? '').localeCompare(b.finding.keys[0] ?? '') ||
        a.index - b.index,
    )
    .map(({ finding }) => finding);
}

/**
 * Every finding of every check over the period (direct push, self-approval, console user without MFA, ...),
 * one row each, citing the check and version that gave it and the population file its item is in.
 */
export async function writeExceptionsRegister(
  outDir: string,
  period: AuditPeriod,
  streams: readonly StreamInstance[],
  findings: PeriodFindings,
  populationFile: (stream: string) => string | undefined,
  /** Conflicting duplicates of the source reads (code `conflicting_duplicate`), both versions in `rejectedFile`. */
  duplicates: { readonly rows: readonly ConflictingDuplicateRow[]; readonly rejectedFile: string } = {
    rows: [],
    rejectedFile: '',
  },
  options: {
    /** Where an item's row is in its population workbook: the register links to it. */
    populationRow?: (stream: string, key: string) => RowPlace | undefined;
    /** A stream's last observation of the period: a condition seen in it is open at period end. */
    lastObservation?: (stream: string) => LastObservation | undefined;
    writtenAt?: number;
    /** Rows per sheet of the workbook, register and Conditions alike; Excel's limit unless a test asks. */
    rowsPerSheet?: number;
  } = {},
): Promise<ExceptionsRegister> {
  const names = exceptionsFileNames(period);
  const byId = new Map(streams.map((stream) => [stream.id, stream]));
  // Status and kind as the check that gave the finding declares its code (the source read's own for duplicates).
  const { codes } = findings;
  const statusOf = (finding: CodedFinding) => codes.status(finding);
  const groups = new ConditionGroups(
    (stream) => options.lastObservation?.(stream),
    (observation) => ({
      status: statusOf(observation),
      kind: codes.kind(observation, byId.get(observation.stream)?.definition.kind),
    }),
  );
  // Computed once, after the last register row: the sheet, the CSV and the index share it.
  let conditions: readonly Condition[] = [];
  const registerLink = (place: RowPlace) => rowLink(names.xlsx, place);
  // Known before any row is written: the About sheet says how many rows are deviations.
  const statuses = countStatuses([
    ...findings.findings.map(statusOf),
    ...duplicates.rows.map(() => statusOf({ checkRef: SOURCE_READ, code: CONFLICTING_DUPLICATE })),
  ]);
  const rowsPerSheet = options.rowsPerSheet ?? ROWS_PER_SHEET;
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Exceptions',
    ...COLUMNS,
    about: {
      purpose:
        'Every finding of every check over the period, one row each, citing the check and version that gave it and linked to its row in the population file.',
      period,
      checks: findings.checks.map((check) => ({ id: check.id, version: check.version })),
      ...(options.writtenAt === undefined ? {} : { writtenAt: options.writtenAt }),
      notes: [
        `Of the ${findings.findings.length + duplicates.rows.length} rows: ${describeStatuses(statuses)}. Filter "Status" to see the deviations alone.`,
        STATUS_NOTE,
        'A finding may cover several criteria: filter "All criteria" to see every finding of one criterion.',
        `The ${CONDITIONS_SHEET} sheet (and ${conditionsFileName(period)}) shows each repeated finding once: same check, finding and subject (a person, a repository, an account and region), with its status, first and last seen, observations, the kind of finding and whether it is still open at period end. A finding without a subject is a condition of its own.`,
        OPEN_AT_PERIOD_END_NOTE,
      ],
    },
    extraSheets: [conditionsSheet(() => conditions, registerLink)],
    rowsPerSheet,
  });
  const byCriterion = new Map<
    string,
    { count: number; statuses: Record<FindingStatus, number>; first: RowPlace }
  >();
  // One register row: the row itself, its condition, and its count under each of its criteria.
  const addRow = async (observation: Observation, populationCell: TableCell) => {
    const place = await table.addRow([
      observation.criteria[0] ?? '',
      observation.criteria.join(', '),
      observation.isoControls.join(', '),
      observation.stream,
      byId.get(observation.stream)?.definition.evidenceName.replaceAll('_', ' ') ?? '',
      observation.keys[0] ?? '',
      observation.keys.slice(1).join('; '),
      new Date(observation.occurredAt).toISOString(),
      observation.code,
      statusOf(observation),
      observation.description,
      observation.checkRef,
      populationCell,
    ]);
    groups.add(observation, place);
    for (const criterion of observation.criteria) {
      const seen = byCriterion.get(criterion) ?? { count: 0, statuses: countStatuses([]), first: place };
      seen.count += 1;
      seen.statuses[statusOf(observation)] += 1;
      byCriterion.set(criterion, seen);
    }
  };
  try {
    for (const finding of registerOrder(streams, findings.findings)) {
      const file = populationFile(finding.stream);
      const at = file ? options.populationRow?.(finding.stream, finding.keys[0] ?? '') : undefined;
      await addRow(finding, file && at ? { text: file, link: rowLink(file, at) } : (file ?? ''));
    }
    // Not a check's judgement but a fact of the read: the source gave one key two contents.
    for (const row of duplicates.rows) {
      const stream = byId.get(row.stream);
      await addRow(
        {
          checkRef: SOURCE_READ,
          code: CONFLICTING_DUPLICATE,
          stream: row.stream,
          keys: [row.key],
          occurredAt: row.occurredAt,
          criteria: stream?.criteria ?? [],
          isoControls: stream?.isoControls ?? [],
          description: row.description,
        },
        duplicates.rejectedFile,
      );
    }
    conditions = groups.conditions();
  } finally {
    await table.close();
  }
  const csv = await writeConditionsCsv(outDir, period, conditions, registerLink);
  const conditionRows = new Map(
    [...conditionsByCriterion(conditions)].map(([criterion, counts]) => [
      criterion,
      { ...counts, first: rowPlace(CONDITIONS_SHEET, counts.firstIndex, rowsPerSheet) },
    ]),
  );
  return {
    ...names,
    rows: table.rows,
    statuses,
    byCriterion,
    conditions: {
      ...csv,
      statuses: countStatuses(conditions.map((condition) => condition.status)),
      open: conditions.filter((condition) => condition.open && condition.status === 'deviation').length,
      byCriterion: conditionRows,
    },
  };
}

import path from 'node:path';
import type { PeriodFindings, RecordedFinding } from '../checks/judge-period.js';
import type { StreamInstance } from '../registry.js';
import type { ConflictingDuplicateRow } from '../store/reject-log.js';
import type { AuditPeriod } from './audit-period.js';
import { tableLayout, type TableCell } from './column-kind.js';
import {
  conditionsFileName,
  conditionsSheet,
  CONDITIONS_SHEET,
  writeConditionsCsv,
} from './conditions-file.js';
import {
  ConditionGroups,
  type CriterionConditions,
  type LastObservation,
  type Observation,
} from './conditions.js';
import { openTableFiles, type RowPlace } from './table-files.js';

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
  { header: 'Description', kind: 'text' },
  { header: 'Check', kind: 'text' },
  { header: 'Population file', kind: 'url' },
]);

/** A criterion's rows in the register: how many, and the first, for a link from the index. */
export interface RegisterRows {
  readonly count: number;
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
  readonly byCriterion: ReadonlyMap<string, RegisterRows>;
  readonly conditions: {
    readonly csv: string;
    readonly rows: number;
    /** Conditions seen in the last observation of their stream. */
    readonly open: number;
    readonly byCriterion: ReadonlyMap<string, CriterionConditions>;
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
  } = {},
): Promise<ExceptionsRegister> {
  const names = exceptionsFileNames(period);
  const byId = new Map(streams.map((stream) => [stream.id, stream]));
  const conditions = new ConditionGroups((stream) => options.lastObservation?.(stream));
  const registerLink = (place: RowPlace) => rowLink(names.xlsx, place);
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
        'A finding may cover several criteria: filter "All criteria" to see every finding of one criterion.',
        `The ${CONDITIONS_SHEET} sheet (and ${conditionsFileName(period)}) shows each repeated finding once: same check, finding and subject (a person, a repository, an account and region), with first and last seen, observations and whether it is still open at period end. A finding without a subject is a condition of its own.`,
      ],
    },
    extraSheets: [conditionsSheet(conditions, registerLink)],
  });
  const byCriterion = new Map<string, RegisterRows>();
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
      observation.description,
      observation.checkRef,
      populationCell,
    ]);
    conditions.add(observation, place);
    for (const criterion of observation.criteria) {
      const seen = byCriterion.get(criterion);
      byCriterion.set(criterion, { count: (seen?.count ?? 0) + 1, first: seen?.first ?? place });
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
          checkRef: 'source read',
          code: 'conflicting_duplicate',
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
  } finally {
    await table.close();
  }
  const csv = await writeConditionsCsv(outDir, period, conditions, registerLink);
  return {
    ...names,
    rows: table.rows,
    byCriterion,
    conditions: { ...csv, byCriterion: conditions.byCriterion() },
  };
}

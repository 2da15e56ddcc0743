import path from 'node:path';
import type { StreamInstance } from '../registry.js';
import type { EvidenceRepository } from '../store/evidence-repository.js';
import type { StatusCounts } from '../checks/finding-codes.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import { alignDown } from '../time.js';
import type { AboutFile } from './about-sheet.js';
import type { AuditPeriod } from './audit-period.js';
import type { LastObservation } from './conditions.js';
import { evidenceFileName } from './naming.js';
import { populationLayout, toPopulationRow, type DerivedColumns } from './population-columns.js';
import { openTableFiles, type RowPlace } from './table-files.js';

// Small pages: rows of a page outlive several awaits and get promoted; fewer of them keep the heap flat.
const PAGE_SIZE = 500;

export interface PopulationFiles {
  readonly stream: string;
  readonly csv: string;
  readonly xlsx: string;
  readonly items: number;
  /** Items with at least one finding. */
  readonly flaggedItems: number;
  /** The same items by what they count as: only items with a deviation are deviations. */
  readonly flagged: StatusCounts;
  /** Where each flagged item's row is in the workbook, for links from the exceptions register. */
  readonly flaggedRows: ReadonlyMap<string, RowPlace>;
  /** The window of the stream's cadence that holds its latest item: its last observation of the period. */
  readonly lastObservation?: LastObservation;
}

/** Named by the stream's first criterion and its evidence name: CC8.1_Production_Changes_2026-Q2.csv. */
export function populationFileNames(
  stream: StreamInstance,
  period: AuditPeriod,
): { csv: string; xlsx: string } {
  const criterion = stream.criteria[0] ?? 'CC0.0';
  const name = stream.definition.evidenceName;
  return {
    csv: evidenceFileName(criterion, name, period.label, 'csv'),
    xlsx: evidenceFileName(criterion, name, period.label, 'xlsx'),
  };
}

/** The About sheet of a population: the stream's own sentence, its mapping, sources and checks. */
export function populationAbout(
  stream: StreamInstance,
  period: AuditPeriod,
  options: { writtenAt?: number; findings?: PeriodFindings } = {},
): AboutFile {
  const { definition, connector } = stream;
  const checks = (options.findings?.checks ?? []).filter((check) =>
    check.definition.streams.includes(stream.id),
  );
  return {
    purpose: `The population of "${stream.id}" (${definition.kind}): ${definition.population.replace(/\.$/, '')}.`,
    criteria: stream.criteria,
    isoControls: stream.isoControls,
    period,
    sources: [`${connector.id}: ${connector.description}`, `${stream.id}: ${definition.description}`],
    ...(options.findings
      ? { checks: checks.map((check) => ({ id: check.id, version: check.version })) }
      : {}),
    ...(options.writtenAt === undefined ? {} : { writtenAt: options.writtenAt }),
  };
}

/**
 * Writes every item of the period (the latest version of each) to the stream's CSV and XLSX in one pass
 * over the store, each row with the findings the checks gave it.
 */
export async function writePopulationFiles(
  evidence: EvidenceRepository,
  stream: StreamInstance,
  period: AuditPeriod,
  outDir: string,
  findings: PeriodFindings,
  options: { writtenAt?: number; derived?: DerivedColumns } = {},
): Promise<PopulationFiles> {
  const names = populationFileNames(stream, period);
  const layout = populationLayout(stream.definition, options.derived);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Population',
    headers: layout.headers,
    kinds: layout.kinds,
    about: populationAbout(stream, period, { writtenAt: options.writtenAt, findings }),
  });
  let flaggedItems = 0;
  const flagged = { deviation: 0, 'evidence pending collection': 0, 'evidence unreadable': 0 };
  // Rows come in occurredAt order: only the flagged keys of the current window are kept.
  let last: { start: number; flaggedKeys: Set<string> } | undefined;
  // Bounded by the findings, which are held for the whole package anyway.
  const flaggedRows = new Map<string, RowPlace>();
  try {
    for await (const stored of evidence.population(stream.id, period.start, period.end, PAGE_SIZE)) {
      const row = toPopulationRow(stored, findings.forItem(stream.id, stored.item_key));
      const status = findings.itemStatus(stream.id, stored.item_key);
      // Highlighting says "exception": an item whose findings are none of them a deviation is shaded instead.
      const place = await table.addRow(
        layout.cells(row),
        status && status !== 'deviation' ? 'no deviation' : undefined,
      );
      const window = alignDown(row.occurredAt, stream.cadenceMs);
      if (!last || window > last.start) last = { start: window, flaggedKeys: new Set() };
      if (row.findings.length > 0) {
        flaggedItems += 1;
        if (status) flagged[status] += 1;
        flaggedRows.set(row.key, place);
        last.flaggedKeys.add(row.key);
      }
    }
  } finally {
    await table.close();
  }
  return {
    stream: stream.id,
    ...names,
    items: table.rows,
    flaggedItems,
    flagged,
    flaggedRows,
    ...(last ? { lastObservation: last } : {}),
  };
}

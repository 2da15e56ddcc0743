import path from 'node:path';
import type { StreamInstance } from '../registry.js';
import type { EvidenceRepository } from '../store/evidence-repository.js';
import type { ItemException } from '../stream.js';
import type { AboutFile } from './about-sheet.js';
import type { AuditPeriod } from './audit-period.js';
import { evidenceFileName } from './naming.js';
import { populationLayout, toPopulationRow, type PopulationRow } from './population-columns.js';
import { openTableFiles, type RowPlace } from './table-files.js';

// Small pages: rows of a page outlive several awaits and get promoted; fewer of them keep the heap flat.
const PAGE_SIZE = 500;

export interface PopulationFiles {
  readonly stream: string;
  readonly csv: string;
  readonly xlsx: string;
  readonly items: number;
  /** Items with at least one exception. */
  readonly flaggedItems: number;
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

/** The About sheet of a population: the stream's own sentence, its mapping and where it comes from. */
export function populationAbout(stream: StreamInstance, period: AuditPeriod, writtenAt?: number): AboutFile {
  const { definition, connector } = stream;
  return {
    purpose: `The population of "${stream.id}" (${definition.kind}): ${definition.population.replace(/\.$/, '')}.`,
    criteria: stream.criteria,
    isoControls: stream.isoControls,
    period,
    sources: [`${connector.id}: ${connector.description}`, `${stream.id}: ${definition.description}`],
    ...(writtenAt === undefined ? {} : { writtenAt }),
  };
}

/**
 * Writes every item of the period (the latest version of each) to the stream's CSV and XLSX in one pass
 * over the store, handing each flagged item to `onException` so the exceptions file needs no second read.
 */
export async function writePopulationFiles(
  evidence: EvidenceRepository,
  stream: StreamInstance,
  period: AuditPeriod,
  outDir: string,
  onException: (row: PopulationRow, exception: ItemException, place: RowPlace) => Promise<void>,
  options: { writtenAt?: number } = {},
): Promise<PopulationFiles> {
  const names = populationFileNames(stream, period);
  const layout = populationLayout(stream.definition);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Population',
    headers: layout.headers,
    kinds: layout.kinds,
    about: populationAbout(stream, period, options.writtenAt),
  });
  let flaggedItems = 0;
  try {
    for await (const stored of evidence.population(stream.id, period.start, period.end, PAGE_SIZE)) {
      const row = toPopulationRow(stored);
      const place = await table.addRow(layout.cells(row));
      if (row.exceptions.length > 0) flaggedItems += 1;
      for (const exception of row.exceptions) await onException(row, exception, place);
    }
  } finally {
    await table.close();
  }
  return { stream: stream.id, ...names, items: table.rows, flaggedItems };
}

import path from 'node:path';
import type { StreamInstance } from '../registry.js';
import type { EvidenceRepository } from '../store/evidence-repository.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import type { AuditPeriod } from './audit-period.js';
import { evidenceFileName } from './naming.js';
import { populationLayout, toPopulationRow } from './population-columns.js';
import { openTableFiles } from './table-files.js';

// Small pages: rows of a page outlive several awaits and get promoted; fewer of them keep the heap flat.
const PAGE_SIZE = 500;

export interface PopulationFiles {
  readonly stream: string;
  readonly csv: string;
  readonly xlsx: string;
  readonly items: number;
  /** Items with at least one finding. */
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
): Promise<PopulationFiles> {
  const names = populationFileNames(stream, period);
  const layout = populationLayout(stream.definition);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Population',
    headers: layout.headers,
  });
  let flaggedItems = 0;
  try {
    for await (const stored of evidence.population(stream.id, period.start, period.end, PAGE_SIZE)) {
      const row = toPopulationRow(stored, findings.forItem(stream.id, stored.item_key));
      await table.addRow(layout.cells(row));
      if (row.findings.length > 0) flaggedItems += 1;
    }
  } finally {
    await table.close();
  }
  return { stream: stream.id, ...names, items: table.rows, flaggedItems };
}

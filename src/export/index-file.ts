import path from 'node:path';
import type { ControlReuse, CriterionEvidence } from '../readiness/evidence-map.js';
import type { AuditPeriod } from './audit-period.js';
import { openTableFiles } from './table-files.js';

const INDEX_HEADERS = [
  'Criterion',
  'Category',
  'Criterion topic',
  'ISO 27001:2022 origin',
  'Mapping source',
  'Streams',
  'Artefacts',
  'ISO artefacts that may evidence it',
  'Population size',
  'Items with exceptions',
  'Rejected records',
  'Continuity %',
  'Files',
  'Evidenced',
];

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
): Promise<{ csv: string; xlsx: string }> {
  const names = indexFileNames(period);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Control-evidence index',
    headers: INDEX_HEADERS,
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
        row.exceptions,
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
): Promise<{ csv: string; xlsx: string }> {
  const names = { csv: `ISO_27001_Reuse_${period.label}.csv`, xlsx: `ISO_27001_Reuse_${period.label}.xlsx` };
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'ISO reuse',
    headers: REUSE_HEADERS,
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

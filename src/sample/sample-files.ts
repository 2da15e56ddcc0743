import path from 'node:path';
import type { StreamInstance } from '../registry.js';
import type { AuditPeriod } from '../export/audit-period.js';
import { evidenceFileName } from '../export/naming.js';
import { populationLayout } from '../export/population-columns.js';
import { populationAbout } from '../export/population-file.js';
import { openTableFiles } from '../export/table-files.js';
import type { Sample } from './draw-sample.js';

/** `CC8.1_Production_Changes_Sample_Seed_42_2026-Q2.csv`: the package's convention, the seed in the name. */
export function sampleFileNames(
  stream: StreamInstance,
  period: AuditPeriod,
  seed: string,
): { csv: string; xlsx: string } {
  const criterion = stream.criteria[0] ?? 'CC0.0';
  const name = `${stream.definition.evidenceName}_Sample_Seed_${seed}`;
  return {
    csv: evidenceFileName(criterion, name, period.label, 'csv'),
    xlsx: evidenceFileName(criterion, name, period.label, 'xlsx'),
  };
}

/** Writes the sample with the population file's columns, plus its position and rank so anyone can redraw it. */
export async function writeSampleFiles(
  stream: StreamInstance,
  period: AuditPeriod,
  seed: string,
  sample: Sample,
  outDir: string,
): Promise<{ csv: string; xlsx: string }> {
  const names = sampleFileNames(stream, period, seed);
  const layout = populationLayout(stream.definition);
  const table = openTableFiles({
    csvPath: path.join(outDir, names.csv),
    xlsxPath: path.join(outDir, names.xlsx),
    sheetName: 'Sample',
    headers: ['Sample #', 'Rank: SHA-256(seed, stream, key)', ...layout.headers],
    kinds: ['number', 'text', ...layout.kinds],
    // Sample # to Item key: what the auditor names a sampled item by.
    frozenColumns: 3,
    about: {
      ...populationAbout(stream, period),
      purpose: `A sample of ${sample.rows.length} of the ${sample.populationSize} items of "${stream.id}" (${stream.definition.population.replace(/\.$/, '')}), drawn with seed "${seed}": the items of lowest rank, listed in the order they occurred.`,
      notes: [
        'Anyone can redraw it: rank every item of the population by SHA-256(seed, stream, key) and take the lowest.',
      ],
    },
  });
  try {
    let position = 0;
    for (const entry of sample.rows) {
      position += 1;
      await table.addRow([position, entry.rank, ...layout.cells(entry.row)]);
    }
  } finally {
    await table.close();
  }
  return { csv: path.join(outDir, names.csv), xlsx: path.join(outDir, names.xlsx) };
}

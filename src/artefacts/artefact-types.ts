import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { catalogueDir, type Catalogue } from '../catalogue/catalogue.js';
import { UsageError } from '../errors.js';

export type Recurrence = 'quarterly' | 'yearly' | 'none';

/** A kind of ISO 27001 artefact a company already keeps, with the criteria it may evidence. */
export interface ArtefactType {
  readonly type: string;
  readonly title: string;
  readonly evidenceName: string;
  /** Criteria as the catalogue knows them: a series such as CC3 is expanded to CC3.1-CC3.4. */
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
  readonly isoClauses: readonly string[];
  readonly recurrence: Recurrence;
  readonly source: string;
  readonly note: string;
  /** First criterion, or DC200 for the statement of applicability (it supports the system description). */
  readonly namePrefix: string;
}

const list = z.string().transform((text) =>
  text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean),
);
const row = z.object({
  type: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  evidence_name: z.string().regex(/^[A-Z0-9][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/),
  criteria: list,
  iso_controls: list,
  iso_clause: list,
  recurrence: z.enum(['quarterly', 'yearly', 'none']),
  source: z.string().min(1, 'every artefact type needs a source'),
  note: z.string(),
});

/** Expands "CC3" to every criterion of that series; keeps "CC6.1" as is; rejects anything unknown. */
function expandCriteria(catalogue: Catalogue, written: readonly string[], where: string): string[] {
  const result: string[] = [];
  for (const id of written) {
    if (catalogue.isCriterion(id)) result.push(id);
    else {
      const series = [...catalogue.criteria.values()].filter((criterion) => criterion.series === id);
      if (series.length === 0) throw new Error(`${where}: unknown criterion or series "${id}"`);
      result.push(...series.map((criterion) => criterion.criterion_id));
    }
  }
  return [...new Set(result)];
}

export function loadArtefactTypes(
  catalogue: Catalogue,
  file = path.join(catalogueDir, 'artefact-types.csv'),
): ArtefactType[] {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as unknown[];
  return rows.map((raw, index) => {
    const where = `catalogue: artefact-types.csv row ${index + 2}`;
    const parsed = row.safeParse(raw);
    if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues[0]?.message}`);
    const data = parsed.data;
    for (const control of data.iso_controls)
      if (!catalogue.isControl(control))
        throw new Error(`${where}: unknown ISO 27001:2022 control "${control}"`);
    const criteria = expandCriteria(catalogue, data.criteria, where);
    return {
      type: data.type,
      title: data.title,
      evidenceName: data.evidence_name,
      criteria,
      isoControls: data.iso_controls,
      isoClauses: data.iso_clause,
      recurrence: data.recurrence,
      source: data.source,
      note: data.note,
      namePrefix: criteria[0] ?? 'DC200',
    };
  });
}

export function findArtefactType(types: readonly ArtefactType[], id: string): ArtefactType {
  const found = types.find((type) => type.type === id);
  if (!found)
    throw new UsageError(`--type: expected one of ${types.map((type) => type.type).join(', ')}, got "${id}"`);
  return found;
}

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readCsvRecords } from './csv.js';

/** The package root: the nearest folder above this module that holds package.json (src/ or dist/src/). */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'config', 'catalogue')))
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`catalogue: no config/catalogue above ${from}`);
  }
}

const projectRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
const CATALOGUE_DIR = path.join(projectRoot, 'config', 'catalogue');

const criterionRow = z.object({
  criterion_id: z.string().regex(/^(CC|A|C|PI|P)\d+\.\d+$/),
  category: z.string(),
  series: z.string(),
  series_name: z.string(),
  short_title: z.string(),
});
const controlRow = z.object({
  control_id: z.string().regex(/^A\.[5-8]\.\d+$/),
  title: z.string(),
  theme: z.string(),
});
const mappingRow = z.object({
  iso_control_id: z.string(),
  tsc_criterion_id: z.string(),
  relationship: z.string(),
  origin: z.enum(['crosswalk', 'seed']),
  source: z.string().min(1, 'every mapping pair needs a source'),
  note: z.string(),
});

export type Criterion = z.infer<typeof criterionRow>;
export type Control = z.infer<typeof controlRow>;
export type Mapping = z.infer<typeof mappingRow>;

function readCsv<T>(file: string, schema: z.ZodType<T>): T[] {
  const rows = readCsvRecords(readFileSync(path.join(CATALOGUE_DIR, file), 'utf8'), file);
  return rows.map((row, index) => {
    const result = schema.safeParse(row);
    if (!result.success)
      throw new Error(`catalogue: ${file} row ${index + 2}: ${result.error.issues[0]?.message}`);
    return result.data;
  });
}

/** The reference data: 61 TSC 2017 criteria, 93 ISO 27001:2022 Annex A controls, and sourced pairs. */
export class Catalogue {
  readonly criteria: ReadonlyMap<string, Criterion>;
  readonly controls: ReadonlyMap<string, Control>;
  readonly mappings: readonly Mapping[];

  constructor(criteria: Criterion[], controls: Control[], mappings: Mapping[]) {
    this.criteria = new Map(criteria.map((row) => [row.criterion_id, row]));
    this.controls = new Map(controls.map((row) => [row.control_id, row]));
    for (const pair of mappings) {
      if (!this.criteria.has(pair.tsc_criterion_id) || !this.controls.has(pair.iso_control_id)) {
        throw new Error(
          `catalogue: mapping ${pair.iso_control_id} -> ${pair.tsc_criterion_id} cites an unknown id`,
        );
      }
    }
    this.mappings = mappings;
  }

  static load(): Catalogue {
    return new Catalogue(
      readCsv('tsc-2017.csv', criterionRow),
      readCsv('iso27001-2022-annex-a.csv', controlRow),
      readCsv('mappings.csv', mappingRow),
    );
  }

  isCriterion(id: string): boolean {
    return this.criteria.has(id);
  }

  isControl(id: string): boolean {
    return this.controls.has(id);
  }

  /** ISO controls a criterion originates from, with the source of each pair. */
  originsOf(criterionId: string): Mapping[] {
    return this.mappings.filter((pair) => pair.tsc_criterion_id === criterionId);
  }

  /** Criteria a control may support, with the source of each pair. */
  criteriaOf(controlId: string): Mapping[] {
    return this.mappings.filter((pair) => pair.iso_control_id === controlId);
  }

  /** Criteria in scope: Security (the common criteria) always, other categories when configured. */
  inScope(categories: readonly string[]): Criterion[] {
    return [...this.criteria.values()].filter(
      (row) => row.category === 'Security' || categories.includes(row.category),
    );
  }
}

export const catalogueDir = CATALOGUE_DIR;
export const packageRoot = projectRoot;

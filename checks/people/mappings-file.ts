import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../src/errors.js';
import { accountMappingSchema, type AccountMapping } from './settings.js';

/**
 * Reads `people.mappings`: a YAML list or a CSV with the columns system, account, person. A bad row is
 * a user mistake: one line naming the file, the row and the field.
 */
export function readMappingsFile(file: string, baseDir = process.cwd()): AccountMapping[] {
  const full = path.resolve(baseDir, file);
  let rows: unknown;
  try {
    const text = readFileSync(full, 'utf8');
    rows = /\.csv$/i.test(full)
      ? parseCsv(text, {
          bom: true,
          columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
          skip_empty_lines: true,
          trim: true,
        })
      : parseYaml(text);
  } catch (error) {
    throw new UsageError(`config: people.mappings: ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = z.array(accountMappingSchema).safeParse(rows ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [row, field] = issue?.path ?? [];
    const where = typeof row === 'number' ? `row ${/\.csv$/i.test(full) ? row + 2 : row + 1}` : 'the file';
    throw new UsageError(
      `config: people.mappings: ${file}: ${where}${field ? ` ${String(field)}` : ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

import path from 'node:path';
import { EvidenceError, UsageError } from '../../src/errors.js';
import type { HrFileConfig } from './config.js';
import { readEmployees, type ReadEmployees } from './employees.js';
import { exportForDay, listExports, type ExportFile } from './export-files.js';
import { resolveLayout, type Layout } from './layout.js';
import { readTable } from './read-table.js';

export interface DayExport extends ReadEmployees {
  readonly file: ExportFile;
  readonly layout: Layout;
}

export interface HrFileClient {
  readonly config: HrFileConfig;
  /** The export standing for a UTC day, read into employees and rejected rows. */
  readDay(day: string): Promise<DayExport>;
}

async function layoutOf(config: HrFileConfig, file: string): Promise<Layout | string> {
  const table = await readTable(file, config.sheet);
  const result = resolveLayout(table.headers, config);
  return result.ok ? result.layout : `${path.basename(file)}: ${result.problem}`;
}

/**
 * Checks the layout before anything is collected, so a user whose export matches no preset and no
 * mapping is told at once (one line, exit 2); a file dropped later with another layout fails its window.
 */
export async function createHrFileClient(config: HrFileConfig): Promise<HrFileClient> {
  const first = config.file ?? (await listExports(config.directory ?? '.').catch(() => [])).at(-1)?.path;
  if (first !== undefined) {
    const layout = await layoutOf(config, first).catch((error: unknown) => {
      if (error instanceof EvidenceError && error.code === 'HR_FILE_MISSING') return undefined;
      throw new UsageError(`connectors.hr-file: ${(error as Error).message}`);
    });
    if (typeof layout === 'string') throw new UsageError(`connectors.hr-file: ${layout}`);
  }
  return {
    config,
    async readDay(day) {
      const file = await exportForDay(config, day);
      const table = await readTable(file.path, config.sheet).catch((error: unknown) => {
        // A configured file that is not there is a mistyped path, not a file in transit: retrying cannot
        // help, so the window fails at once (the ledger keeps the failed run; continuity shows the gap).
        if (config.file !== undefined && error instanceof EvidenceError && error.code === 'HR_FILE_MISSING')
          throw new EvidenceError(
            'HR_FILE_NOT_FOUND',
            `${config.file}: no such file (connectors.hr-file.file); check the path`,
            'fatal',
            { cause: error },
          );
        throw error;
      });
      // No header row at all: an export still being written or cut off in transfer, not a new layout.
      if (table.headers.length === 0)
        throw new EvidenceError(
          'HR_EXPORT_EMPTY',
          `${path.basename(file.path)}: the export is empty (no header row): still being written or cut off; the day is read again`,
          'retriable',
        );
      const result = resolveLayout(table.headers, config);
      if (!result.ok) {
        throw new EvidenceError(
          'HR_LAYOUT_UNKNOWN',
          `${path.basename(file.path)}: ${result.problem}`,
          'fatal',
        );
      }
      return {
        file,
        layout: result.layout,
        ...readEmployees(table, result.layout, path.basename(file.path)),
      };
    },
  };
}

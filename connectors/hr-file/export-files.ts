import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EvidenceError } from '../../src/errors.js';
import { DAY } from '../../src/time.js';
import type { HrFileConfig } from './config.js';
import { EXPORT_FILE } from './read-table.js';

/** An export file and the day it was imported (the date in its name, else the day it was written). */
export interface ExportFile {
  readonly path: string;
  readonly importDay: string;
  readonly modifiedAt: number;
}

// 2026-03-14, 2026_03_14 or 20260314 anywhere in the name: how people and HR systems date exports.
const NAMED_DAY = /(\d{4})[-_]?(\d{2})[-_]?(\d{2})/;

function importDayOf(name: string, modifiedAt: number): string {
  const match = NAMED_DAY.exec(name);
  if (match) {
    const day = `${match[1]}-${match[2]}-${match[3]}`;
    if (!Number.isNaN(Date.parse(`${day}T00:00:00Z`))) return day;
  }
  return new Date(modifiedAt).toISOString().slice(0, 10);
}

/** Every export in the directory, oldest first; editor lock files (~$x.xlsx) and hidden files are not exports. */
export async function listExports(directory: string): Promise<ExportFile[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new EvidenceError('HR_DIRECTORY_MISSING', `${directory}: cannot be read`, 'retriable', {
      cause: error,
    });
  }
  const files: ExportFile[] = [];
  for (const name of names) {
    if (!EXPORT_FILE.test(name) || name.startsWith('.') || name.startsWith('~$')) continue;
    const full = path.join(directory, name);
    const info = await stat(full);
    if (!info.isFile()) continue;
    files.push({ path: full, importDay: importDayOf(name, info.mtimeMs), modifiedAt: info.mtimeMs });
  }
  return files.sort(
    (a, b) =>
      a.importDay.localeCompare(b.importDay) || a.modifiedAt - b.modifiedAt || a.path.localeCompare(b.path),
  );
}

/**
 * The export that stands for `day`: the single configured file, or the newest file of the latest import
 * day on or before `day` in the directory, if it is at most `maxExportAgeDays` old. No such file means
 * no observation of that day: the run fails with a code (someone may still drop the export).
 */
export async function exportForDay(config: HrFileConfig, day: string): Promise<ExportFile> {
  if (config.file !== undefined) return { path: config.file, importDay: day, modifiedAt: 0 };
  const directory = config.directory ?? '.';
  const earlier = (await listExports(directory)).filter((file) => file.importDay <= day);
  const newest = earlier.at(-1);
  if (!newest) {
    throw new EvidenceError(
      'HR_EXPORT_MISSING',
      `${directory}: no export imported on or before ${day}`,
      'retriable',
    );
  }
  const age = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${newest.importDay}T00:00:00Z`)) / DAY;
  if (age > config.maxExportAgeDays) {
    throw new EvidenceError(
      'HR_EXPORT_MISSING',
      `${directory}: the newest export before ${day} is from ${newest.importDay}, older than ${config.maxExportAgeDays} days`,
      'retriable',
    );
  }
  return newest;
}

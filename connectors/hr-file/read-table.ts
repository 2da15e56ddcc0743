import { EvidenceError } from '../../src/errors.js';
import {
  readTable as readTableFile,
  TABLE_FILE,
  TableFileError,
  type Table,
} from '../../src/tables/read-table.js';

export type { Table, TableRow } from '../../src/tables/read-table.js';

export const EXPORT_FILE = TABLE_FILE;

/** Reads a CSV or XLSX export; a file that cannot be parsed is a coded error naming the file. */
export async function readTable(file: string, sheet?: string): Promise<Table> {
  try {
    return await readTableFile(file, sheet);
  } catch (error) {
    if (!(error instanceof TableFileError)) throw error;
    const missing = error.reason === 'missing';
    throw new EvidenceError(
      missing ? 'HR_FILE_MISSING' : 'HR_FILE_UNREADABLE',
      error.message,
      missing ? 'retriable' : 'fatal',
      { cause: error },
    );
  }
}

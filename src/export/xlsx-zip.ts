import type ExcelJS from 'exceljs';

// The zip deflates in the background and exceljs does not wait for it: past this many bytes queued between
// the sheet and the zip, the writer waits (a 2-core machine under load otherwise queues the whole table).
const MAX_PENDING_BYTES = 4 * 1_048_576;

/** Bytes written to the sheet's part that the zip has not taken yet (exceljs pipes it into a PassThrough). */
function pendingBytes(of: ExcelJS.Worksheet): number {
  type State = { length?: number } | undefined;
  type Pipe = { _writableState?: State; _readableState?: State };
  const sheet = of as unknown as { committed?: boolean; stream?: { pipes?: Pipe[] } };
  if (sheet.committed) return 0;
  return (sheet.stream?.pipes ?? []).reduce(
    (sum, pipe) => sum + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0),
    0,
  );
}

/** Waits while the zip is behind, so a million rows never queue up in memory. */
export async function zipCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  while (pendingBytes(sheet) > MAX_PENDING_BYTES) await new Promise((resolve) => setTimeout(resolve, 5));
}

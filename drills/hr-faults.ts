import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCompany } from '../src/sandbox/company/index.js';
import { writeHrSandbox } from '../src/sandbox/hr/index.js';
import { openStore } from '../src/store/open-store.js';
import { LedgerProbe } from './support/ledger-probe.js';
import { RejectLog } from '../src/store/reject-log.js';
import { DAY } from '../src/time.js';
import { streamBackfillArgs } from './support/cli.js';
import { DrillFailure, referenceBackfill, type DrillContext } from './support/context.js';
import { sleep } from './support/ports.js';
import type { FaultedBackfill } from './saas-faults.js';

const STREAM = 'hr-workforce';
/** The faults a drop directory really sees: an export cut off in transfer, one caught while being written. */
const FAULT_CODES = ['HR_EXPORT_TRUNCATED', 'HR_EXPORT_EMPTY'] as const;
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The failed runs of the HR stream in a finished store, by error code. */
async function failureCodes(storeUrl: string): Promise<Set<string>> {
  const probe = new LedgerProbe(storeUrl);
  try {
    return await probe.failureCodes(STREAM);
  } finally {
    await probe.close();
  }
}

async function rejectCount(storeUrl: string, from: number, to: number): Promise<number> {
  const store = await openStore(storeUrl);
  try {
    return (await new RejectLog(store).inPeriod({ start: from, end: to }, [STREAM])).length;
  } finally {
    await store.close();
  }
}

/**
 * The HR export directory under the faults a file source has: on one day the export was cut off in
 * transfer (half its bytes), on another it was caught while being written (empty); both are put right a
 * moment after the backfill has failed on them, as the transfer completes. The backfill must exit 0 with
 * the store of the fault-free reference: no truncated day read as mass leavers, no baseline moved back,
 * and the one malformed row of both directories rejected once with its row number.
 */
export async function hrFileFaults(context: DrillContext, faultedBackfill: FaultedBackfill, days: number) {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const company = buildCompany({ seed: context.seed, now: today + 60_000, days: days + 2 });
  const clean = writeHrSandbox(company).directory;
  const files = readdirSync(clean).sort();
  const from = today - days * DAY;
  const inWindow = files.filter(
    (name) => name.slice(-14, -4) >= day(from) && name.slice(-14, -4) < day(today),
  );
  const [truncated, empty] = [inWindow[1], inWindow[Math.min(2, inWindow.length - 1)]];
  if (!truncated || !empty || truncated === empty)
    throw new DrillFailure(`the HR drill needs at least three days, got ${inWindow.length}`);
  // A row HR left half filled in, in both directories: it must be rejected, never dropped or stored.
  const malformed = path.join(clean, inWindow[0]!);
  writeFileSync(malformed, `${readFileSync(malformed, 'utf8')}E9999,Half,Filled,,13/45/2026,,Active,,,\n`);
  const faulted = mkdtempSync(path.join(tmpdir(), 'ew-hr-faulted-'));
  for (const name of files) copyFileSync(path.join(clean, name), path.join(faulted, name));
  truncateSync(
    path.join(faulted, truncated),
    Math.floor(readFileSync(path.join(clean, truncated)).length / 2),
  );
  truncateSync(path.join(faulted, empty), 0);
  const world = { from: day(from), to: day(today - DAY) };
  const connectors = (directory: string) => `  hr-file: { directory: '${directory}' }\n`;
  const args = (config: string) => streamBackfillArgs(config, world, [STREAM]);
  try {
    const reference = await referenceBackfill(
      'HR',
      (url) => args(context.config({ storeUrl: url, connectors: connectors(clean) })),
      context.env,
      days,
      300_000,
    );
    const { snapshot, storeUrl } = reference;
    let seen = new Set<string>();
    const faultedRun = await faultedBackfill(
      args,
      (url) => context.config({ storeUrl: url, connectors: connectors(faulted) }),
      context.env,
      reference,
      async (probe, alive) => {
        // Each file is put right once the backfill has failed on it: the retry must then read it whole.
        const restored = new Set<string>();
        while (alive() && restored.size < 2) {
          seen = await probe.failureCodes(STREAM);
          for (const [code, name] of [
            ['HR_EXPORT_TRUNCATED', truncated],
            ['HR_EXPORT_EMPTY', empty],
          ] as const) {
            if (!seen.has(code) || restored.has(name)) continue;
            copyFileSync(path.join(clean, name), path.join(faulted, name));
            restored.add(name);
          }
          await sleep(10);
        }
      },
    );
    seen = await failureCodes(faultedRun.storeUrl);
    const missing = FAULT_CODES.filter((code) => !seen.has(code));
    if (missing.length)
      throw new DrillFailure(
        `the HR faults did not fail their days (${missing.join(', ')} never seen): the drill proved nothing`,
      );
    const rejects = await rejectCount(faultedRun.storeUrl, from, today);
    const referenceRejects = await rejectCount(storeUrl, from, today);
    if (rejects !== 1 || referenceRejects !== 1)
      throw new DrillFailure(
        `the malformed HR row was rejected ${rejects} time(s) (reference ${referenceRejects}), expected once`,
      );
    return {
      rows: faultedRun.rows,
      referenceRows: snapshot.rows,
      codes: [...seen].sort(),
      runs: faultedRun.runs,
    };
  } finally {
    rmSync(faulted, { recursive: true, force: true });
    rmSync(clean, { recursive: true, force: true });
  }
}

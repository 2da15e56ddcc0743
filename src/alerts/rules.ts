import type { StreamContinuity } from '../continuity/types.js';
import type { StreamInstance } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import { formatDuration, iso } from '../time.js';
import type { AlertFinding } from './alert-store.js';
import type { AlertsConfig } from './config.js';
import { span } from './messages.js';

/** How far back the failing rule looks for the last success. */
const RECENT_RUNS = 200;

/**
 * Failing: failed runs since the last success spanning `failingAfter` windows (BullMQ's quick retries of
 * one window count once, so a single blip is not an alert), or any credential error among them at once.
 */
async function failing(
  store: EvidenceStore,
  stream: StreamInstance,
  config: AlertsConfig,
): Promise<AlertFinding | undefined> {
  const recent = await new RunLedger(store).recentOutcomes(stream.id, RECENT_RUNS);
  const failures: { code: string; at: number | null }[] = [];
  const windows = new Set<number>();
  for (const run of recent) {
    if (run.status === 'succeeded') break;
    failures.push({ code: run.error_code ?? 'UNKNOWN', at: run.finished_at });
    windows.add(run.window_start);
  }
  const credential = failures.find((failure) => config.credentialErrorCodes.includes(failure.code));
  if (!credential && windows.size < config.failingAfter) return undefined;
  const last = failures[0]!;
  const why = credential
    ? `credential error ${credential.code}: the source refuses our credentials`
    : `${failures.length}${failures.length === RECENT_RUNS ? '+' : ''} consecutive failed runs over ${windows.size} windows, last error ${last.code}`;
  return {
    stream: stream.id,
    kind: 'failing',
    message: `${why}; no evidence is collected until it is fixed`,
    detail: {
      failures: failures.length,
      windows: windows.size,
      lastErrorCode: last.code,
      credential: credential?.code ?? null,
    },
  };
}

/** Stopped: no run at all (of any outcome) for longer than a multiple of the cadence. */
async function stopped(
  store: EvidenceStore,
  stream: StreamInstance,
  config: AlertsConfig,
  now: number,
  since: number,
): Promise<AlertFinding | undefined> {
  const lastRun = (await new RunLedger(store).lastStartedAt(stream.id)) ?? undefined;
  const quietSince = lastRun ?? since;
  const limit = config.stoppedAfterCadences * stream.cadenceMs;
  if (now - quietSince <= limit) return undefined;
  return {
    stream: stream.id,
    kind: 'stopped',
    message: `no collection run for ${span(now - quietSince)} (${lastRun === undefined ? 'none yet' : `last one started ${iso(lastRun)}`}); one is expected every ${formatDuration(stream.cadenceMs)}`,
    detail: { lastRunAt: lastRun ?? null, limitMs: limit },
  };
}

/** Silent: the newest covered time ends in a silent period, i.e. the silence is still going on. */
function silent(entry: StreamContinuity): AlertFinding | undefined {
  const period = entry.silent[entry.silent.length - 1];
  const coveredEnd = entry.covered[entry.covered.length - 1]?.end;
  if (!period || period.end !== coveredEnd) return undefined;
  return {
    stream: entry.stream,
    kind: 'silent',
    message: `runs succeed but the source yielded nothing since ${iso(period.start)} (${span(period.end - period.start)}, threshold ${span(period.thresholdMs)}): check that logging runs and the token still sees the data`,
    detail: { silentSince: period.start, coveredUntil: period.end, thresholdMs: period.thresholdMs },
  };
}

/**
 * What is wrong with one stream now, judged from the ledger and its continuity entry alone
 * (never from the queue or the source). `since`: when judging began, for a stream that never ran.
 */
export async function evaluateStream(
  store: EvidenceStore,
  stream: StreamInstance,
  entry: StreamContinuity,
  config: AlertsConfig,
  now: number,
  since: number,
): Promise<AlertFinding[]> {
  const found = [
    await failing(store, stream, config),
    await stopped(store, stream, config, now, since),
    silent(entry),
  ];
  return found.filter((finding): finding is AlertFinding => finding !== undefined);
}

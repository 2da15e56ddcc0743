import type { Logger } from 'pino';
import type { CollectProducer, EnqueueRequest } from '../collection/collect-producer.js';
import type { Registry, StreamInstance } from '../registry.js';
import { readable } from '../collection/runner.js';
import type { EvidenceStore } from '../store/open-store.js';
import { RunLedger } from '../store/run-ledger.js';
import { alignDown, type Window } from '../time.js';
import type { StreamContinuity } from './types.js';

export interface RepairOutcome {
  /** Windows re-enqueued with trigger `repair`. */
  readonly enqueued: number;
  /** Windows the source no longer holds, recorded in the ledger as unrecoverable findings. */
  readonly findings: number;
}

interface Candidate {
  readonly stream: StreamInstance;
  readonly window: Window;
  readonly failed: boolean;
}

/**
 * Grid windows of a stream inside its due gaps (never attempted, failed, or partly unreadable), oldest first, at most `limit`.
 * A window that closed less than `graceMs` ago is left to the planner, which enqueues it every tick, and so
 * is every never-attempted window of a stream whose windows go in order. Such a stream gets one window
 * read again per check (windows the source no longer holds go along: they are only recorded).
 */
function candidates(
  stream: StreamInstance,
  entry: StreamContinuity,
  limit: number,
  until: number,
  now: number,
  brokenCredential: boolean,
): Candidate[] {
  const found: Candidate[] = [];
  if (brokenCredential) limit = Math.min(limit, 1);
  const reads = (window: Window) => readable(stream.retention, window, stream.cadenceMs, now).ok;
  for (const gap of entry.gaps) {
    if (gap.cause !== 'never_attempted' && gap.cause !== 'failed' && gap.cause !== 'source_unreadable')
      continue;
    // The planner hands these out one at a time, each once the one before settled: enqueued beside its
    // window, a never-attempted one would run out of order.
    if (gap.cause === 'never_attempted' && stream.definition.windowsInOrder) continue;
    for (let start = alignDown(gap.start, stream.cadenceMs); start < gap.end; start += stream.cadenceMs) {
      if (found.length >= limit || start + stream.cadenceMs > until - stream.sourceLagMs) return found;
      const window = { start, end: start + stream.cadenceMs };
      found.push({
        stream,
        window,
        // A partial window's job completed under its id too: it needs a new suffix like a failed one.
        failed: gap.cause === 'failed' || gap.cause === 'source_unreadable',
      });
      if (stream.definition.windowsInOrder && reads(window)) return found;
    }
  }
  return found;
}

/** Whether any job of the stream that reads the source (the planner's, a repair's, a backfill's) is unfinished. */
async function readingInFlight(
  producer: CollectProducer,
  stream: StreamInstance,
  now: number,
): Promise<boolean> {
  const jobs = await producer.unfinished(stream);
  return jobs.some((job) => readable(stream.retention, job.window, stream.cadenceMs, now).ok);
}

/** Takes one window per stream in turn, so one stream's long gap cannot starve the others. */
function roundRobin(lists: Candidate[][], limit: number): Candidate[] {
  const picked: Candidate[] = [];
  for (let round = 0; picked.length < limit && lists.some((list) => list.length > round); round += 1)
    for (const list of lists) if (list[round] && picked.length < limit) picked.push(list[round]!);
  return picked;
}

/**
 * Repairs what can be repaired, with bounded effort per check: windows the source still holds are
 * enqueued again (trigger `repair`); windows it no longer holds are recorded in the ledger as unrecoverable
 * with the retention's reason, which is how they appear as findings in the report and the auditor package.
 */
export async function repairGaps(
  deps: { store: EvidenceStore; registry: Registry; producer: CollectProducer | undefined; logger: Logger },
  entries: readonly StreamContinuity[],
  now: number,
  limits: { maxWindows: number; graceMs: number; credentialErrorCodes?: readonly string[] },
): Promise<RepairOutcome> {
  const credentialCodes = new Set(limits.credentialErrorCodes ?? []);
  const { maxWindows } = limits;
  const ledger = new RunLedger(deps.store);
  const lists: Candidate[][] = [];
  for (const entry of entries) {
    if (entry.kind === 'artefact') continue;
    // While the stream's newest run failed on a credential, every retry fails the same way: one window per
    // check probes whether it was fixed, instead of a storm of failed runs. Once a run succeeds, all of it.
    const latest = await ledger.latest(entry.stream);
    const brokenCredential = latest?.status === 'failed' && credentialCodes.has(latest.error_code ?? '');
    const stream = deps.registry.stream(entry.stream);
    lists.push(candidates(stream, entry, maxWindows, now - limits.graceMs, now, brokenCredential));
  }
  const requests: EnqueueRequest[] = [];
  let findings = 0;
  for (const { stream, window, failed } of roundRobin(lists, maxWindows)) {
    const access = readable(stream.retention, window, stream.cadenceMs, now);
    if (!access.ok) {
      await ledger.recordUnrecoverable({
        stream: stream.id,
        window,
        trigger: 'repair',
        code: access.code,
        reason: access.reason,
        now,
      });
      findings += 1;
      continue;
    }
    if (stream.definition.windowsInOrder) {
      // Read beside a later window in flight, it would diff against the same cursor and race it to write
      // one; the planner holds the stream's next window while this repair is in flight.
      if (deps.producer && (await readingInFlight(deps.producer, stream, now))) continue;
    } else if (await deps.producer?.inFlight(stream, window)) {
      // The planner's own job still to run will collect the window: a repair would only do the work twice.
      continue;
    }
    // A failed window's job is still kept under its id; a new suffix per failure lets the repair through,
    // while a repeat check before the next failure collapses on the same id.
    let idSuffix = 'repair';
    if (failed) {
      idSuffix = `repair-${(await new RunLedger(deps.store).lastStartedAt(stream.id, window)) ?? 0}`;
    }
    requests.push({ stream, window, trigger: 'repair', idSuffix });
  }
  if (requests.length && deps.producer) await deps.producer.enqueue(requests);
  if (requests.length || findings)
    deps.logger.info(
      { enqueued: deps.producer ? requests.length : 0, findings },
      'continuity repair: gaps re-enqueued, unrecoverable windows recorded',
    );
  return { enqueued: deps.producer ? requests.length : 0, findings };
}

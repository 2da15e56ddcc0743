import type { Logger } from 'pino';
import type { EvidenceError } from '../errors.js';
import { toEvidenceError } from '../errors.js';
import type { Limiter } from '../limiter.js';
import type { StreamInstance } from '../registry.js';
import { whyNotCanonical } from '../store/canonical.js';
import { EvidenceRepository, prepareItem, type PreparedItem } from '../store/evidence-repository.js';
import type { EvidenceStore } from '../store/open-store.js';
import { RejectLog } from '../store/reject-log.js';
import { RunLedger, type RunCounts } from '../store/run-ledger.js';
import type { RunTrigger } from '../store/schema.js';
import { StreamState } from '../store/stream-state.js';
import type { CollectedItem, Cursor, SourceRejection, SourceRetention } from '../stream.js';
import { DAY, formatWindow, type Clock, type Window } from '../time.js';

export interface CollectRequest {
  readonly stream: StreamInstance;
  readonly window: Window;
  readonly trigger: RunTrigger;
  readonly attempt: number;
  readonly jobId?: string | undefined;
  readonly signal?: AbortSignal;
}

export interface CollectOutcome {
  readonly runId: string;
  /** `partial`: succeeded except for source files that stayed unreadable (rejected as files). */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'unrecoverable';
  readonly counts: RunCounts;
  readonly error?: EvidenceError;
}

/** Whether the source can still be read for a window, judged at `now`. */
export function readable(
  retention: SourceRetention,
  window: Window,
  cadenceMs: number,
  now: number,
): { ok: true } | { ok: false; code: string; reason: string } {
  switch (retention.kind) {
    case 'forever':
      return { ok: true };
    case 'days':
      return window.start >= now - retention.days * DAY
        ? { ok: true }
        : { ok: false, code: 'SOURCE_RETENTION_EXCEEDED', reason: retention.reason };
    case 'snapshot':
      // A snapshot observes the state now; it can stand for a window only until the next window closes.
      return now < window.end + cadenceMs
        ? { ok: true }
        : { ok: false, code: 'SNAPSHOT_MISSED', reason: retention.reason };
  }
}

/** Creates one API client per connector and reuses it. */
export type ClientProvider = (stream: StreamInstance) => Promise<unknown>;

export interface RunnerDeps {
  readonly store: EvidenceStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly limiter: Limiter;
  readonly clients: ClientProvider;
  readonly batchSize?: number;
}

/**
 * Runs one stream over one window: checks the source can still be read, opens a ledger row, validates and
 * stores every item in batches, then records success together with the cursor and watermark. Any error is
 * recorded in the ledger with its code before it is rethrown for the queue to judge.
 */
export class CollectionRunner {
  private readonly ledger: RunLedger;
  private readonly evidence: EvidenceRepository;
  private readonly state: StreamState;
  private readonly rejects: RejectLog;

  constructor(private readonly deps: RunnerDeps) {
    this.ledger = new RunLedger(deps.store);
    this.rejects = new RejectLog(deps.store);
    this.evidence = new EvidenceRepository(deps.store);
    this.state = new StreamState(deps.store);
  }

  async collect(request: CollectRequest): Promise<CollectOutcome> {
    const { stream, window } = request;
    const { clock } = this.deps;
    const logger = this.deps.logger.child({
      stream: stream.id,
      window: formatWindow(window),
      jobId: request.jobId,
    });
    const counts: RunCounts = { new: 0, unchanged: 0, changed: 0, skipped: 0 };

    const access = readable(stream.retention, window, stream.cadenceMs, clock());
    if (!access.ok) {
      const runId = await this.ledger.recordUnrecoverable({
        ...request,
        stream: stream.id,
        code: access.code,
        reason: access.reason,
        now: clock(),
      });
      logger.warn(
        { code: access.code, reason: access.reason },
        'window can no longer be read from the source',
      );
      return { runId, status: 'unrecoverable', counts };
    }

    const runId = await this.ledger.start({ ...request, stream: stream.id, now: clock() });
    const context = {
      stream: stream.id,
      runId,
      collectedAt: clock(),
      criteria: stream.criteria,
      isoControls: stream.isoControls,
    };
    let unreadableFiles = 0;
    try {
      const { cursor } = await this.state.get(stream.id);
      const client = await this.deps.clients(stream);
      const generator = stream.definition.collect(window, cursor, {
        client,
        logger,
        signal: request.signal ?? new AbortController().signal,
        acquire: (key, perSecond) => this.deps.limiter.acquire(key, perSecond),
        reject: async (rejection) => {
          counts.skipped += 1;
          if (rejection.kind === 'file') unreadableFiles += 1;
          await this.reject(stream.id, runId, window, rejection, logger);
        },
      });
      const batchSize = this.deps.batchSize ?? 1_000;
      let batch: PreparedItem[] = [];
      const flush = async () => {
        const written = await this.evidence.write({ ...context, collectedAt: clock() }, batch);
        counts.new += written.new;
        counts.unchanged += written.unchanged;
        counts.changed += written.changed;
        batch = [];
      };
      let next = await generator.next();
      while (!next.done) {
        const item = next.value;
        const prepared = this.prepare(stream, window, item);
        if (!prepared.ok) {
          counts.skipped += 1;
          await this.reject(stream.id, runId, window, prepared.rejection, logger);
        } else {
          batch.push(prepared.item);
          if (batch.length >= batchSize) await flush();
        }
        next = await generator.next();
      }
      await flush();
      const nextCursor: Cursor | undefined = next.value ?? undefined;
      const status = unreadableFiles > 0 ? 'partial' : 'succeeded';
      await this.ledger.succeed(runId, stream.id, counts, clock(), nextCursor, status);
      if (status === 'partial')
        logger.warn({ runId, counts, unreadableFiles }, 'window collected without its unreadable files');
      else logger.info({ runId, counts }, 'window collected');
      return { runId, status, counts };
    } catch (thrown) {
      const error = toEvidenceError(thrown);
      await this.ledger.fail(runId, { code: error.code, message: error.message }, counts, clock());
      logger.warn({ runId, code: error.code, retry: error.retry, err: error.message }, 'window failed');
      return { runId, status: 'failed', counts, error };
    }
  }

  /** Validates and canonicalises one item; what cannot be stored becomes a reject with its real reason. */
  private prepare(
    stream: StreamInstance,
    window: Window,
    item: CollectedItem,
  ): { ok: true; item: PreparedItem } | { ok: false; rejection: SourceRejection } {
    const checked = this.check(stream, window, item);
    const fail = (reason: string) => ({
      ok: false as const,
      rejection: {
        reason,
        raw: item.payload,
        ...(typeof item.key === 'string' ? { key: item.key } : {}),
        ...(item.source ? { source: item.source } : {}),
        ...(typeof item.occurredAt === 'number' ? { occurredAt: item.occurredAt } : {}),
      },
    });
    if (!checked.ok) return fail(checked.problem);
    try {
      return {
        ok: true,
        item: prepareItem({
          key: item.key,
          occurredAt: item.occurredAt,
          payload: checked.payload,
          quiet: item.quiet,
        }),
      };
    } catch {
      // A value JSON cannot carry (a lone surrogate, NaN): the item is rejected, never the window.
      return fail(`payload cannot be stored: ${whyNotCanonical(checked.payload)}`);
    }
  }

  private check(
    stream: StreamInstance,
    window: Window,
    item: { key: unknown; occurredAt: unknown; payload: unknown; late?: unknown },
  ): { ok: true; payload: unknown } | { ok: false; problem: string } {
    const fail = (problem: string) => ({ ok: false as const, problem });
    if (typeof item.key !== 'string' || item.key.length === 0) return fail('item has no natural key');
    if (typeof item.occurredAt !== 'number' || !Number.isFinite(item.occurredAt))
      return fail('item has no occurredAt');
    const late = item.late === true && stream.definition.lateArrivals !== undefined;
    if (!late && (item.occurredAt < window.start || item.occurredAt >= window.end)) {
      return fail(`occurredAt ${new Date(item.occurredAt).toISOString()} lies outside the window`);
    }
    const parsed = stream.definition.itemSchema.safeParse(item.payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue?.path.join('.') || '(root)';
      // zod says "expected string, received undefined" for a missing field: say it is missing.
      if (issue?.code === 'invalid_type' && /received undefined/.test(issue.message))
        return fail(`payload has no ${at}`);
      return fail(`payload invalid at ${at}: ${issue?.message}`);
    }
    return { ok: true, payload: parsed.data };
  }

  private async reject(
    stream: string,
    runId: string,
    window: Window,
    rejection: SourceRejection,
    logger: Logger,
  ): Promise<void> {
    const kind = rejection.kind ?? 'record';
    logger.warn({ key: rejection.key, source: rejection.source, kind, reason: rejection.reason }, 'rejected');
    await this.rejects.record({
      stream,
      runId,
      window,
      kind,
      reason: rejection.reason,
      source: rejection.source,
      key: rejection.key,
      occurredAt: rejection.occurredAt,
      raw: rejection.raw,
      conflictsWith: rejection.conflictsWith,
      conflictsWithSha256: rejection.conflictsWithSha256,
      now: this.deps.clock(),
    });
  }
}

import type { Logger } from 'pino';
import { AlertStore, type AlertFinding, type Notification } from '../src/alerts/alert-store.js';
import { credentialCodes, type AlertsConfig } from '../src/alerts/config.js';
import { evaluateStream } from '../src/alerts/rules.js';
import type { WebhookDelivery } from '../src/alerts/webhook.js';
import type { EvidenceConfig } from '../src/config/schema.js';
import { repairGaps, type RepairOutcome } from '../src/continuity/repair.js';
import { streamContinuity } from '../src/continuity/report.js';
import type { StreamContinuity } from '../src/continuity/types.js';
import type { CollectProducer } from '../src/collection/collect-producer.js';
import type { Registry, StreamInstance } from '../src/registry.js';
import type { EvidenceStore } from '../src/store/open-store.js';
import { parseDay, type Clock } from '../src/time.js';

export interface ContinuityCheckDeps {
  readonly store: EvidenceStore;
  readonly registry: Registry;
  readonly config: EvidenceConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where repairs are enqueued; without one (no Redis) the check still judges and alerts. */
  readonly producer?: CollectProducer | undefined;
  readonly delivery: WebhookDelivery;
}

export interface CheckResult {
  readonly at: number;
  readonly streams: readonly StreamContinuity[];
  readonly findings: readonly AlertFinding[];
  readonly notifications: readonly Notification[];
  readonly repair: RepairOutcome;
  readonly delivered: number;
}

const REPAIR_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms (is Redis reachable?)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Where judging a stream starts: the audit start, else its first run (bounded by the lookback). */
async function origin(
  store: EvidenceStore,
  stream: StreamInstance,
  config: EvidenceConfig,
  now: number,
  firstSeen: number,
) {
  const auditStart = config.audit.start ? parseDay(config.audit.start) : undefined;
  if (auditStart !== undefined) return auditStart;
  const row = await store.db
    .selectFrom('runs')
    .select((eb) => eb.fn.min('window_start').as('first'))
    .where('stream', '=', stream.id)
    .executeTakeFirst();
  const first = row?.first === null || row?.first === undefined ? firstSeen : Number(row.first);
  return Math.max(first, now - config.alerts.lookback);
}

/**
 * The continuity check, run by node-cron inside `start` and once at start-up: judge every stream from the
 * ledger and item counts alone, open, remind and close alerts, repair what can be repaired, then deliver
 * the alert outbox. It never asks the queue or a source, so it still fires when the planner or Redis died.
 */
export function continuityCheckProcessor(deps: ContinuityCheckDeps) {
  const alerts: AlertsConfig = {
    ...deps.config.alerts,
    credentialErrorCodes: credentialCodes(
      deps.config.alerts,
      deps.registry.connectors.map((instance) => instance.connector),
    ),
  };
  const states = new AlertStore(deps.store, alerts.webhook ? 'pending' : 'logged');
  // A stream that never ran is judged stopped from when this process first looked at it.
  const firstSeen = new Map<string, number>();
  const learning = {
    windowMs: alerts.silence.learnFrom,
    factor: alerts.silence.factor,
    minSpanMs: alerts.silence.minHistory,
  };

  const log = (note: Notification) => {
    const fields = { alert: note.kind, stream: note.stream, event: note.event };
    if (note.event === 'recovered') deps.logger.info(fields, note.text);
    else deps.logger.warn(fields, note.text);
  };

  return async (): Promise<CheckResult> => {
    const now = deps.clock();
    const streams: StreamContinuity[] = [];
    const findings: AlertFinding[] = [];
    for (const stream of deps.registry.streams) {
      if (!firstSeen.has(stream.id)) firstSeen.set(stream.id, now);
      const since = await origin(deps.store, stream, deps.config, now, firstSeen.get(stream.id)!);
      if (since >= now) continue;
      const entry = await streamContinuity(deps.store, stream, { start: since, end: now }, now, learning);
      streams.push(entry);
      findings.push(
        ...(await evaluateStream(
          deps.store,
          stream,
          entry,
          alerts,
          now,
          Math.max(since, firstSeen.get(stream.id)!),
        )),
      );
    }

    const notifications: Notification[] = [];
    const open = await states.open();
    for (const finding of findings) {
      const existing = open.find((alert) => alert.stream === finding.stream && alert.kind === finding.kind);
      const note = existing
        ? await states.persist(existing, finding, now, alerts.remindEvery)
        : await states.raise(finding, now);
      if (note) notifications.push(note);
    }
    for (const alert of open) {
      if (findings.some((finding) => finding.stream === alert.stream && finding.kind === alert.kind))
        continue;
      // An alert of a stream no longer configured is closed too: nothing will ever clear it otherwise.
      const note = await states.resolve(alert, now);
      if (note) notifications.push(note);
    }
    notifications.forEach(log);

    let repair: RepairOutcome = { enqueued: 0, findings: 0 };
    if (alerts.repair.enabled) {
      try {
        // A dead Redis would hang the enqueue forever: bound it, the next check tries again.
        repair = await withTimeout(
          repairGaps({ ...deps, producer: deps.producer }, streams, now, {
            maxWindows: alerts.repair.maxWindowsPerCheck,
            graceMs: alerts.repair.grace,
            credentialErrorCodes: alerts.credentialErrorCodes,
          }),
          REPAIR_TIMEOUT_MS,
        );
      } catch (error) {
        deps.logger.error(
          { err: (error as Error).message },
          'continuity repair failed; alerts are unaffected',
        );
      }
    }
    const delivered = await deps.delivery.deliverPending();
    return { at: now, streams, findings, notifications, repair, delivered };
  };
}

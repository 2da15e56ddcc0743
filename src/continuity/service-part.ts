import cron from 'node-cron';
import type { CheckResult } from '../../jobs/continuity-check.js';
import { WebhookDelivery } from '../alerts/webhook.js';
import type { App } from '../app.js';
import type { CollectProducer } from '../collection/collect-producer.js';
import type { ServicePart, ServicePartFactory } from '../service.js';
import type { EvidenceStore } from '../store/open-store.js';

/** How often the outbox is retried between checks, so webhook backoff is not tied to the check schedule. */
const DELIVERY_INTERVAL_MS = 15_000;

export interface ContinuityPart extends ServicePart {
  /** Runs one check now (start-up, cron, tests); overlapping calls share the running check. */
  check(): Promise<CheckResult | undefined>;
  deliver(): Promise<number>;
}

/** One continuity check and the webhook delivery it opens alerts through, wired from an app. */
export function continuityChecker(app: App, store: EvidenceStore, producer?: CollectProducer) {
  const delivery = new WebhookDelivery({
    store,
    webhook: app.config.alerts.webhook,
    clock: app.clock,
    logger: app.logger,
  });
  const check = app.jobs.continuityCheck({
    store,
    registry: app.registry,
    config: app.config,
    clock: app.clock,
    logger: app.logger,
    producer,
    delivery,
  });
  return { check, delivery };
}

/**
 * The continuity checker inside `start`: once at start-up, then on `schedule.continuity` (node-cron, UTC),
 * in-process and independent of the planner's ticks. It runs in every role: its writes are conditional,
 * so several instances checking at once neither duplicate alerts nor repairs.
 */
export const continuityServicePart: ServicePartFactory = (app, { producer }) => {
  let task: { stop: () => void | Promise<void> } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<CheckResult | undefined> | undefined;
  let delivery: WebhookDelivery | undefined;
  let run: (() => Promise<CheckResult>) | undefined;

  const part: ContinuityPart = {
    name: 'continuity-checker',
    async start() {
      ({ check: run, delivery } = continuityChecker(app, await app.store(), producer));
      await part.check();
      task = cron.schedule(app.config.schedule.continuity, () => void part.check(), {
        timezone: 'UTC',
        noOverlap: true,
      });
      timer = setInterval(() => void part.deliver(), DELIVERY_INTERVAL_MS);
      timer.unref();
    },
    check() {
      running ??= (async () => {
        try {
          return await run?.();
        } catch (error) {
          app.logger.error({ err: (error as Error).message }, 'continuity check failed');
          return undefined;
        } finally {
          running = undefined;
        }
      })();
      return running;
    },
    deliver: async () => (delivery ? delivery.deliverPending() : 0),
    async stop() {
      await task?.stop();
      if (timer) clearInterval(timer);
      await running;
    },
  };
  return part;
};

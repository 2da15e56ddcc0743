import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { App } from '../app.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import { buildContinuityReport } from '../continuity/report.js';
import type { ContinuityReport } from '../continuity/types.js';
import type { CollectProducer } from '../collection/collect-producer.js';
import { collectQueueName } from '../collection/job-id.js';
import { openAlerts } from './alerts.js';
import { defaultPeriod } from './period.js';
import { openGaps } from './status-data.js';
import { itemsPerStream, runsByStatus, watermarks } from './store-figures.js';
import { withTimeout } from './timeout.js';

export const METRIC_PREFIX = 'evidence_worker_';
const SOURCE_TIMEOUT_MS = 2_000;
/** The continuity report reads the whole period's ledger: computed at most this often, not per scrape. */
export const REPORT_TTL_MS = 30_000;
const JOB_STATES = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;

type Source = 'store' | 'redis' | 'continuity';

interface Figures {
  readonly up: Record<Source, boolean>;
  readonly items?: Map<string, number>;
  readonly runs?: { stream: string; status: string; count: number }[];
  readonly watermarks?: Map<string, number | null>;
  readonly alerts?: Map<string, number>;
  readonly queues?: { queue: string; state: string; count: number }[];
  readonly report?: ContinuityReport;
  readonly findings?: PeriodFindings;
}

/**
 * The service's own Prometheus registry (never the global one, so tests and several apps in one process
 * do not collide). Figures are read at scrape time from the store, Redis and the continuity report; a
 * source that fails only blanks its own metrics and sets `source_up{source}` to 0.
 */
export function createMetrics(app: App, producer: CollectProducer): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const streamIds = app.registry.streams.map((stream) => stream.id);

  let cachedReport: { at: number; report: ContinuityReport; findings: PeriodFindings } | undefined;
  const report = async (): Promise<{ report: ContinuityReport; findings: PeriodFindings }> => {
    const at = Date.now();
    if (cachedReport && at - cachedReport.at < REPORT_TTL_MS) return cachedReport;
    const now = app.clock();
    const period = defaultPeriod(app.config, now);
    const findings = await app.findings(period);
    const built = await buildContinuityReport(await app.store(), app.registry, period, now, { findings });
    cachedReport = { at, report: built, findings };
    return cachedReport;
  };

  const attempt = async <T>(source: Source, what: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withTimeout(what(), SOURCE_TIMEOUT_MS, source);
    } catch (error) {
      app.logger.warn({ source, err: (error as Error).message }, 'metrics: source unavailable');
      return undefined;
    }
  };

  const gather = async (): Promise<Figures> => {
    const [storeFigures, queues, continuity] = await Promise.all([
      attempt('store', async () => {
        const store = await app.store();
        const alerts = new Map<string, number>(streamIds.map((id) => [id, 0]));
        for (const alert of await openAlerts(store)) {
          alerts.set(alert.stream ?? '', (alerts.get(alert.stream ?? '') ?? 0) + 1);
        }
        return {
          items: await itemsPerStream(store),
          runs: await runsByStatus(store),
          watermarks: await watermarks(store),
          alerts,
        };
      }),
      attempt('redis', async () => {
        const rows: { queue: string; state: string; count: number }[] = [];
        for (const connector of app.registry.connectors) {
          const counts = await producer.queue(connector.connector.id).getJobCounts(...JOB_STATES);
          const queue = collectQueueName(connector.connector.id);
          for (const state of JOB_STATES) rows.push({ queue, state, count: counts[state] ?? 0 });
        }
        return rows;
      }),
      attempt('continuity', report),
    ]);
    return {
      up: { store: !!storeFigures, redis: !!queues, continuity: !!continuity },
      ...(storeFigures ?? {}),
      ...(queues ? { queues } : {}),
      ...(continuity ? { report: continuity.report, findings: continuity.findings } : {}),
    };
  };

  // Every gauge's collect runs on each scrape; they share one gathering per scrape.
  let pending: Promise<Figures> | undefined;
  const figures = (): Promise<Figures> => {
    pending ??= gather().finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };

  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (gauge: Gauge<string>, data: Figures) => void,
  ): void => {
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const data = await figures();
        this.reset();
        fill(this, data);
      },
    });
  };

  gauge(
    'source_up',
    'Whether a source of these metrics answered the last scrape (1) or not (0).',
    ['source'],
    (g, d) => {
      for (const [source, up] of Object.entries(d.up)) g.set({ source }, up ? 1 : 0);
    },
  );
  gauge(
    'items_collected',
    'Evidence items stored per stream (every version of every item).',
    ['stream'],
    (g, d) => {
      if (!d.items) return;
      for (const stream of new Set([...streamIds, ...d.items.keys()]))
        g.set({ stream }, d.items.get(stream) ?? 0);
    },
  );
  gauge('runs', 'Collection runs in the ledger by stream and status.', ['stream', 'status'], (g, d) => {
    for (const row of d.runs ?? []) g.set({ stream: row.stream, status: row.status }, row.count);
  });
  gauge(
    'queue_jobs',
    'Jobs in each collect queue by state (depth = wait + prioritized + delayed).',
    ['queue', 'state'],
    (g, d) => {
      for (const row of d.queues ?? []) g.set({ queue: row.queue, state: row.state }, row.count);
    },
  );
  gauge(
    'watermark_age_seconds',
    'Seconds from the end of the contiguous covered prefix to now, per stream.',
    ['stream'],
    (g, d) => {
      const now = app.clock();
      for (const [stream, watermark] of d.watermarks ?? []) {
        if (watermark !== null) g.set({ stream }, Math.max(0, (now - watermark) / 1_000));
      }
    },
  );
  gauge(
    'open_alerts',
    'Open continuity alerts per stream ("" for alerts about no single stream).',
    ['stream'],
    (g, d) => {
      for (const [stream, count] of d.alerts ?? []) g.set({ stream }, count);
    },
  );
  gauge(
    'open_gaps',
    'Gaps in the audit period per stream (windows not yet due excluded).',
    ['stream'],
    (g, d) => {
      for (const stream of d.report?.streams ?? []) g.set({ stream: stream.stream }, openGaps(stream));
    },
  );
  gauge('silent_periods', 'Silent periods in the audit period per stream.', ['stream'], (g, d) => {
    for (const stream of d.report?.streams ?? []) g.set({ stream: stream.stream }, stream.silent.length);
  });
  gauge(
    'findings',
    'Findings of each check in the audit period, by check (id@version) and finding code.',
    ['check', 'code'],
    (g, d) => {
      const counts = new Map<string, { check: string; code: string; count: number }>();
      for (const finding of d.findings?.findings ?? []) {
        const label = `${finding.checkRef}\u0000${finding.code}`;
        const entry = counts.get(label) ?? { check: finding.checkRef, code: finding.code, count: 0 };
        entry.count += 1;
        counts.set(label, entry);
      }
      for (const entry of counts.values()) g.set({ check: entry.check, code: entry.code }, entry.count);
    },
  );
  gauge('coverage_percent', 'Covered share of the audit period per stream, 0 to 100.', ['stream'], (g, d) => {
    for (const stream of d.report?.streams ?? []) g.set({ stream: stream.stream }, stream.coveragePercent);
  });
  return registry;
}

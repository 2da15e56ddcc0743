import type { App } from '../../src/app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChainHeads } from '../../src/store/chain-heads.js';
import { HOUR } from '../../src/time.js';
import { dropStore, freshStoreUrl, rawSql } from '../support/stores.js';
import {
  FAKE_ACCESS,
  FAKE_CHANGES,
  closedPort,
  collectHours,
  startSurface,
  surfaceApp,
  type Surface,
} from './support.js';

const NOW = Date.UTC(2026, 0, 10, 12);
const START = Date.UTC(2026, 0, 8);
const FAILED_AT = Date.UTC(2026, 0, 9, 10);
const SKIPPED_FROM = Date.UTC(2026, 0, 9, 2);
const SKIPPED_TO = Date.UTC(2026, 0, 9, 6);

/** The value of one sample in Prometheus text format, or undefined when it is absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.length === present.length && wanted.every((pair) => present.includes(pair)))
      return Number(match[3]);
  }
  return undefined;
}

describe('operator routes over a planted history (SQLite, real Redis)', () => {
  let surface: Surface;
  let app: App;

  beforeAll(async () => {
    app = await surfaceApp({ now: NOW, auditStart: '2026-01-08', failAt: [`${FAKE_CHANGES}@${FAILED_AT}`] });
    await collectHours(app, FAKE_ACCESS, START, NOW);
    await collectHours(app, FAKE_CHANGES, START, NOW, (start) => start >= SKIPPED_FROM && start < SKIPPED_TO);
    // Alert rows as the continuity checker writes them (migration 0002): one open, one closed.
    const opened = FAILED_AT + HOUR;
    await rawSql(
      await app.store(),
      `insert into alerts (id, stream, kind, status, message, detail, opened_at, last_notified_at, reminders, closed_at) values
       ('a1', '${FAKE_CHANGES}', 'failing', 'open', 'fake-changes is failing: AUTH_INVALID <revoked>', '{}', ${opened}, ${opened}, 0, null),
       ('a2', '${FAKE_ACCESS}', 'silent', 'closed', 'fake-access was silent', '{}', ${START}, ${START}, 0, ${START + HOUR})`,
    );
    surface = await startSurface(app);
  });
  afterAll(async () => surface?.close());

  const get = (url: string) => surface.server.fastify.inject({ method: 'GET', url });

  it('/healthz says the process is up', async () => {
    const response = await get('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks Redis and the store', async () => {
    const response = await get('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { redis: { ok: true }, store: { ok: true } },
    });
  });

  it('/metrics exposes items, runs, queue depth, watermark age, alerts and gaps per stream', async () => {
    const windows = [0, 1, 2].map((index) => ({ start: NOW + index * HOUR, end: NOW + (index + 1) * HOUR }));
    await surface.producer.enqueue(
      windows.map((window) => ({
        stream: app.registry.stream(FAKE_CHANGES),
        window,
        trigger: 'schedule' as const,
      })),
    );
    const response = await get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    const hours = (NOW - START) / HOUR;
    expect(sample(text, 'evidence_worker_items_collected', { stream: FAKE_ACCESS })).toBe(hours);
    expect(sample(text, 'evidence_worker_items_collected', { stream: FAKE_CHANGES })).toBe(hours - 5);
    expect(sample(text, 'evidence_worker_runs', { stream: FAKE_CHANGES, status: 'succeeded' })).toBe(
      hours - 5,
    );
    expect(sample(text, 'evidence_worker_runs', { stream: FAKE_CHANGES, status: 'failed' })).toBe(1);
    expect(sample(text, 'evidence_worker_runs', { stream: FAKE_ACCESS, status: 'failed' })).toBeUndefined();
    expect(sample(text, 'evidence_worker_queue_jobs', { queue: 'collect-fake', state: 'wait' })).toBe(3);
    expect(sample(text, 'evidence_worker_queue_jobs', { queue: 'collect-fake', state: 'failed' })).toBe(0);
    expect(sample(text, 'evidence_worker_watermark_age_seconds', { stream: FAKE_ACCESS })).toBe(0);
    // The contiguous prefix of fake-changes ends where the skipped hours begin.
    expect(sample(text, 'evidence_worker_watermark_age_seconds', { stream: FAKE_CHANGES })).toBe(
      (NOW - SKIPPED_FROM) / 1_000,
    );
    expect(sample(text, 'evidence_worker_open_alerts', { stream: FAKE_ACCESS })).toBe(0);
    expect(sample(text, 'evidence_worker_open_alerts', { stream: FAKE_CHANGES })).toBe(1);
    expect(sample(text, 'evidence_worker_open_gaps', { stream: FAKE_CHANGES })).toBe(2);
    expect(sample(text, 'evidence_worker_open_gaps', { stream: FAKE_ACCESS })).toBe(0);
    expect(sample(text, 'evidence_worker_coverage_percent', { stream: FAKE_ACCESS })).toBe(100);
    for (const source of ['store', 'redis', 'continuity'])
      expect(sample(text, 'evidence_worker_source_up', { source }), source).toBe(1);
    expect(text).toContain('evidence_worker_process_cpu_seconds_total');
  });

  it('/queues serves Bull Board over the collect queues', async () => {
    const page = await get('/queues');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    // Its UI bundle is served too (the adapter and the API come from two @bull-board versions).
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const bundle = await get(`/queues/${script}`);
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    const api = await get('/queues/api/queues');
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: { name: string; readOnlyMode: boolean }[] }).queues.map(
      (queue) => [queue.name, queue.readOnlyMode],
    );
    expect(names).toEqual([['collect-fake', true]]);
  });

  it('/status renders the streams, the gaps with their causes, last runs and next due windows', async () => {
    const response = await get('/status');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).not.toMatch(/<script/i);
    const section = (stream: string) =>
      response.body.split(`id="stream-${stream}"`)[1]?.split('class="ew-card')[0] ?? '';
    const changes = section(FAKE_CHANGES);
    expect(changes).toContain('AUTH_INVALID');
    expect(changes).toContain('attempted and failed');
    expect(changes).toContain('never attempted');
    expect(changes).toContain('data-kind="failed"');
    expect(changes).toMatch(/class="ew-last-run">.*succeeded/);
    expect(changes).toMatch(/class="ew-next-due">.*due since/);
    const access = section(FAKE_ACCESS);
    expect(changes).toMatch(
      /class="ew-stream-alerts">.*failing.*2026-01-09 11:00 UTC.*AUTH_INVALID &lt;revoked&gt;/,
    );
    expect(access).toContain('No gaps and no silent periods');
    expect(access).toContain('<dd class="ew-stream-alerts">none</dd>');
    const alerts = response.body.split('<h2>Open alerts</h2>')[1]?.split('<h2>')[0] ?? '';
    expect(alerts.match(/<tr><td>/g)).toHaveLength(1);
    expect(alerts).toContain(`<td>${FAKE_CHANGES}</td>`);
    expect(alerts).not.toContain('was silent');
    expect(access).not.toContain('AUTH_INVALID');
    expect(access).toMatch(
      /class="ew-next-due">2026-01-10 12:00 UTC to 2026-01-10 13:00 UTC, due 2026-01-10 13:00 UTC/,
    );
    expect(response.body).toMatch(
      /data-glance="fake-changes">.*ew-bad">gaps<\/span><\/td><td>91\.7%<\/td><td>2<\/td><td>0<\/td><td>succeeded<\/td><td><span class="ew-badge ew-bad">1</,
    );
    expect(response.body).toMatch(
      /data-glance="fake-access">.*ew-good">covered<\/span><\/td><td>100\.0%<\/td><td>0</,
    );
    expect(response.body).toMatch(/data-criterion="CC8\.1">.*gaps/);
    expect(response.body).toMatch(/data-criterion="CC6\.1">.*100\.0%.*covered/);
    expect(response.body).toContain('Audit period 2026-01-08 00:00 UTC to 2026-01-10 12:00 UTC');
  });

  it("/metrics and /status publish each stream's chain head as it is in the store", async () => {
    const heads = await readChainHeads(await app.store());
    expect(heads.map((head) => head.stream).sort()).toEqual([FAKE_ACCESS, FAKE_CHANGES].sort());
    const metrics = (await get('/metrics')).body;
    const page = (await get('/status')).body.split('<h2>Evidence chain heads</h2>')[1] ?? '';
    for (const head of heads) {
      expect(head.seq).toBeGreaterThan(0);
      expect(sample(metrics, 'evidence_worker_chain_head', { stream: head.stream, hash: head.hash })).toBe(
        head.seq,
      );
      expect(page).toContain(
        `<tr><td>${head.stream}</td><td>${head.seq}</td><td><code>${head.hash}</code></td></tr>`,
      );
    }
    expect(page).toContain('verify-store --since MANIFEST.json');
  });

  it('/status?from=&to= narrows the period; a bad query is a 400 with a clear message', async () => {
    const narrowed = await get('/status?from=2026-01-08&to=2026-01-08');
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.body).toContain('Audit period 2026-01-08 00:00 UTC to 2026-01-09 00:00 UTC');
    expect(narrowed.body.split(`id="stream-${FAKE_CHANGES}"`)[1]?.split('class="ew-card')[0]).toContain(
      'No gaps and no silent periods',
    );
    const cases: [string, RegExp][] = [
      ['/status?from=2026-13-01', /invalid from: expected a calendar day as YYYY-MM-DD/],
      ['/status?from=2026-02-30', /invalid from/],
      ['/status?to=yesterday', /invalid to/],
      ['/status?from=2026-01-09&to=2026-01-08', /"to" must not be earlier than "from"/],
      ['/status?from=2027-01-01', /not in the past/],
      ['/status?from=2020-01-01&to=2026-01-01', /at most 731 days/],
    ];
    for (const [url, message] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body, url).toMatch(message);
    }
  });
});

describe('when Redis is unreachable', () => {
  let surface: Surface;

  beforeAll(async () => {
    const app = await surfaceApp({ now: NOW, redisUrl: `redis://127.0.0.1:${await closedPort()}` });
    surface = await startSurface(app);
  });
  afterAll(async () => surface?.close());

  it('/readyz answers 503 naming Redis, quickly, while the store is fine', async () => {
    const started = Date.now();
    const response = await surface.server.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(response.statusCode).toBe(503);
    const body = response.json() as {
      status: string;
      checks: { redis: { ok: boolean; error: string }; store: { ok: boolean } };
    };
    expect(body.status).toBe('not ready');
    expect(body.checks.redis.ok).toBe(false);
    expect(body.checks.redis.error).toMatch(/^redis unreachable: .*(ECONNREFUSED|did not answer)/);
    expect(body.checks.store).toEqual({ ok: true });
    expect((await surface.server.fastify.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('/metrics still answers, with the store figures and redis marked down', async () => {
    const response = await surface.server.fastify.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(sample(response.body, 'evidence_worker_source_up', { source: 'redis' })).toBe(0);
    expect(sample(response.body, 'evidence_worker_source_up', { source: 'store' })).toBe(1);
    expect(sample(response.body, 'evidence_worker_items_collected', { stream: FAKE_ACCESS })).toBe(0);
    expect(
      sample(response.body, 'evidence_worker_queue_jobs', { queue: 'collect-fake', state: 'wait' }),
    ).toBeUndefined();
  });
});

describe('on PostgreSQL', () => {
  it('/readyz queries the PostgreSQL store', async () => {
    const url = freshStoreUrl('postgres');
    const app = await surfaceApp({ now: NOW, storeUrl: url });
    const surface = await startSurface(app);
    try {
      const response = await surface.server.fastify.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: 'ready',
        checks: { redis: { ok: true }, store: { ok: true } },
      });
      expect((await app.store()).dialect).toBe('postgres');
    } finally {
      await surface.close();
      await dropStore(url);
    }
  });
});

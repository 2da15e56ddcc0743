/**
 * Continuity speed and memory: the report over a year of hourly runs for 20 streams (~175,000 ledger rows)
 * and over 2,000,000 ledger rows, each beside the time to merely read the same ledger rows from the same
 * store in the same run. One JSON line per figure.
 * Usage: npx tsx bench/continuity.ts [rowsPerFigure ...]   (default 175200 2000000; SQLite in a temp dir)
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { z } from 'zod';
import { Catalogue } from '../src/catalogue/catalogue.js';
import { parseConfig } from '../src/config/load.js';
import { buildContinuityReport } from '../src/continuity/report.js';
import { buildRegistry } from '../src/registry.js';
import { openStore, type EvidenceStore } from '../src/store/open-store.js';
import { defineConnector, defineStream } from '../src/stream.js';
import { DAY, HOUR } from '../src/time.js';
import { freshStoreUrl } from '../test/support/stores.js';

const STREAMS = 20;
const START = Date.UTC(2025, 0, 1);
const figures = process.argv.slice(2).map(Number);
if (figures.length === 0) figures.push(STREAMS * 8_760, 2_000_000);

function connectorFor(cadence: string) {
  return defineConnector({
    id: 'bench',
    description: 'bench streams (never collected here)',
    configSchema: z.object({}).passthrough(),
    createClient: () => ({}),
    streams: Array.from({ length: STREAMS }, (_, index) =>
      defineStream({
        id: `bench-${index}`,
        description: 'bench',
        kind: 'events',
        population: 'bench',
        evidenceName: 'Bench',
        criteria: ['CC7.2'],
        isoControls: ['A.8.15'],
        cadence,
        silenceThreshold: '1d',
        sourceLag: '0s',
        retention: () => ({ kind: 'days', days: 90, reason: 'bench retention' }) as const,
        itemSchema: z.unknown(),
        async *collect() {},
      }),
    ),
  });
}

/** Writes `perStream` windows per stream: mostly succeeded with one item, a failed hour and a hole now and then. */
function seed(file: string, perStream: number, cadenceMs: number): number {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const run = db.prepare(
    `insert into runs (id, stream, window_start, window_end, trigger, status, attempt, job_id, items_new, items_unchanged,
     items_changed, items_skipped, error_code, error_message, started_at, finished_at)
     values (?, ?, ?, ?, 'schedule', ?, 1, null, 1, 0, 0, 0, ?, null, ?, ?)`,
  );
  const item = db.prepare(
    `insert into evidence_items (stream, item_key, version, seq, occurred_at, collected_at, run_id, criteria, iso_controls,
     payload, payload_sha256, exceptions, exception_count, quiet, prev_hash, row_hash)
     values (?, ?, 1, ?, ?, ?, ?, '["CC7.2"]', '["A.8.15"]', '{}', 'x', '[]', 0, ?, 'x', 'x')`,
  );
  let rows = 0;
  db.transaction(() => {
    for (let stream = 0; stream < STREAMS; stream += 1) {
      const id = `bench-${stream}`;
      for (let index = 0; index < perStream; index += 1) {
        if (index % 997 === 500) continue; // a hole: never attempted
        const start = START + index * cadenceMs;
        const failed = index % 1_009 === 7;
        const runId = `${id}-${index}`;
        run.run(
          runId,
          id,
          start,
          start + cadenceMs,
          failed ? 'failed' : 'succeeded',
          failed ? 'HTTP_503' : null,
          start + cadenceMs,
          start + cadenceMs,
        );
        rows += 1;
        if (!failed)
          item.run(id, `k${index}`, index + 1, start + 1, start + cadenceMs, runId, index % 24 < 3 ? 1 : 0);
      }
    }
  })();
  db.close();
  return rows;
}

async function readRows(store: EvidenceStore, end: number): Promise<number> {
  let count = 0;
  for (let stream = 0; stream < STREAMS; stream += 1) {
    // The plainest read: every row of the stream in one query, held at once (the report must not do that).
    const rows = await store.db
      .selectFrom('runs')
      .select(['id', 'window_start', 'window_end', 'status', 'error_code', 'started_at'])
      .where('stream', '=', `bench-${stream}`)
      .where('window_start', '<', end)
      .orderBy('window_start')
      .execute();
    count += rows.length;
  }
  return count;
}

for (const target of figures) {
  // Hourly for the year-sized figure; finer windows for bigger ones, so the period stays about a year.
  const perStream = Math.ceil(target / STREAMS);
  const cadenceMs =
    perStream <= 8_760 ? HOUR : Math.max(60_000, Math.floor((365 * DAY) / perStream / 60_000) * 60_000);
  const url = freshStoreUrl('sqlite');
  await (await openStore(url)).close();
  const rows = seed(url.slice('file:'.length), perStream, cadenceMs);
  const end = START + perStream * cadenceMs;
  const config = parseConfig({ connectors: { bench: {} } }, {});
  const registry = await buildRegistry(config, Catalogue.load(), {
    extraConnectors: [connectorFor(`${cadenceMs / 60_000}m`)],
  });
  const store = await openStore(url);

  // Each measured twice, alternating, best of two: the first pass after seeding also warms the page cache.
  let best = { reportMs: Infinity, readMs: Infinity, reportCpu: Infinity, readCpu: Infinity, heapDelta: 0 };
  let report: Awaited<ReturnType<typeof buildContinuityReport>> | undefined;
  for (let round = 0; round < 2; round += 1) {
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    const read = await readRows(store, end);
    const readMs = performance.now() - t1;
    const readCpu = process.cpuUsage(cpu1);
    if (read !== rows) throw new Error(`read ${read} rows, seeded ${rows}`);

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    report = await buildContinuityReport(store, registry, { start: START, end }, end + HOUR);
    const reportMs = performance.now() - t0;
    const reportCpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    best = {
      reportMs: Math.min(best.reportMs, reportMs),
      readMs: Math.min(best.readMs, readMs),
      reportCpu: Math.min(best.reportCpu, (reportCpu.user + reportCpu.system) / 1_000),
      readCpu: Math.min(best.readCpu, (readCpu.user + readCpu.system) / 1_000),
      heapDelta: Math.max(best.heapDelta, heapPeak - heapBefore),
    };
  }
  const gaps = report!.streams.reduce((sum, entry) => sum + entry.gaps.length, 0);
  console.log(
    JSON.stringify({
      figure: 'continuity-report',
      store: 'sqlite',
      ledgerRows: rows,
      streams: STREAMS,
      cadence: `${cadenceMs / 60_000}m`,
      gaps,
      reportMs: Math.round(best.reportMs),
      baselineReadRowsMs: Math.round(best.readMs),
      ratioToBaseline: Number((best.reportMs / best.readMs).toFixed(2)),
      // CPU time is what a loaded machine distorts least (SQLite runs in this process).
      reportCpuMs: Math.round(best.reportCpu),
      baselineCpuMs: Math.round(best.readCpu),
      loadAverage1m: Number(os.loadavg()[0]!.toFixed(1)),
      heapPeakDeltaMB: Number((best.heapDelta / 1_048_576).toFixed(1)),
    }),
  );
  await store.close();
  rmSync(path.dirname(url.slice('file:'.length)), { recursive: true, force: true });
}

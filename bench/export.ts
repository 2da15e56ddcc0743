/**
 * Peak memory of exporting a large population, beside a baseline measured in the same run.
 *
 *   npx tsx bench/export.ts [--items 1000000]
 *
 * Fills a fresh SQLite store through the real runner (one events stream, daily windows over 2026-Q2), then
 * runs two child processes over it: the baseline merely reads every row of the population (and parses its
 * payload); the export writes the whole auditor package. Each reports its peak RSS (getrusage maxrss).
 * Prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { z } from 'zod';
import { appRunner, openApp, type App } from '../src/app.js';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';
import { parsePeriod } from '../src/cli/args.js';
import { parseConfig } from '../src/config/load.js';
import { toPopulationRow } from '../src/export/population-columns.js';
import { writeAuditorPackage } from '../src/export/package-writer.js';
import { LocalLimiter } from '../src/limiter.js';
import { EvidenceRepository } from '../src/store/evidence-repository.js';
import { defineConnector, defineStream } from '../src/stream.js';
import { gridWindows } from '../src/time.js';

const period = parsePeriod('2026-Q2');
const DAYS = 91;
const change = z.object({
  sha: z.string(),
  pr: z.number().nullable(),
  approvers: z.array(z.string()),
  checks: z.string(),
  directPush: z.boolean(),
  message: z.string(),
});

function benchConnector(perDay: number) {
  const stream = defineStream<unknown, z.infer<typeof change>>({
    id: 'bench-production-changes',
    description: 'synthetic commits',
    kind: 'events',
    population: 'every commit on the default branch',
    evidenceName: 'Production_Changes',
    criteria: ['CC8.1'],
    isoControls: ['A.8.32'],
    cadence: '1d',
    silenceThreshold: '7d',
    sourceLag: '0s',
    retention: () => ({ kind: 'forever', reason: 'git history' }),
    itemSchema: change,
    populationColumns: [
      { header: 'Commit SHA', value: (item) => item.payload.sha },
      { header: 'Pull request', value: (item) => item.payload.pr },
      // A link a row: past Excel's 65,530 native links a sheet they stream as HYPERLINK() formulas.
      {
        header: 'Pull request link',
        kind: 'url',
        value: (item) =>
          item.payload.pr === null ? null : `https://github.com/acme/app/pull/${item.payload.pr}`,
      },
      { header: 'Approvers', value: (item) => item.payload.approvers.join(', ') },
      { header: 'Checks', value: (item) => item.payload.checks },
      { header: 'Direct push', value: (item) => item.payload.directPush },
      { header: 'Message', value: (item) => item.payload.message },
    ],
    async *collect(window) {
      const step = Math.floor(86_400_000 / perDay);
      for (let index = 0; index < perDay; index += 1) {
        const n = Math.floor(window.start / 86_400_000) * perDay + index;
        const sha = n.toString(16).padStart(40, 'a');
        const directPush = n % 97 === 0;
        yield {
          key: sha,
          occurredAt: window.start + index * step,
          payload: {
            sha,
            pr: directPush ? null : n,
            approvers: directPush ? [] : ['reviewer-one', 'reviewer-two'],
            checks: 'success',
            directPush,
            message:
              n % 1_000 === 0 ? '=HYPERLINK("http://x")' : `Fix the thing in module ${n % 313} (#${n})`,
          },
        };
      }
    },
  });
  return defineConnector({
    id: 'bench',
    description: 'bench',
    configSchema: z.object({}),
    createClient: () => ({}),
    streams: [stream],
  });
}

/** Flags direct pushes (1 in 97 commits), as the change-review check does on a real history. */
const benchCheck = defineCheck({
  id: 'bench-change-review',
  version: 1,
  title: 'bench',
  description: 'every commit came through a pull request',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: ['bench-production-changes'],
  codes: { DIRECT_PUSH: 'no pull request' },
  policy: z.object({}),
  judge: judgeEachItem('bench-production-changes', change, (fact) =>
    fact.payload.directPush ? [{ code: 'DIRECT_PUSH', description: 'no pull request' }] : [],
  ),
});

async function benchApp(storeUrl: string, perDay: number): Promise<App> {
  const raw = { store: { url: storeUrl }, connectors: { bench: {} }, logLevel: 'silent' };
  return openApp({
    config: {
      config: parseConfig(raw, {}),
      baseDir: path.dirname(storeUrl.slice(5)),
      file: undefined,
      source: JSON.stringify(raw),
    },
    env: {},
    extraConnectors: [benchConnector(perDay)],
    extraChecks: [benchCheck],
    logger: pino({ level: 'silent' }),
    clock: () => Date.UTC(2026, 6, 10),
  });
}

async function child(mode: string, storeUrl: string, perDay: number, out: string): Promise<void> {
  const app = await benchApp(storeUrl, perDay);
  // BENCH_PROBE=1 prints heap and RSS every second to stderr, to tell a leak from lazy garbage collection.
  const probe = process.env.BENCH_PROBE
    ? setInterval(() => {
        const memory = process.memoryUsage();
        const mb = (bytes: number) => Math.round(bytes / 1_048_576);
        process.stderr.write(
          `rss ${mb(memory.rss)} heap ${mb(memory.heapUsed)}/${mb(memory.heapTotal)} external ${mb(memory.external)} buffers ${mb(memory.arrayBuffers)}\n`,
        );
      }, 1_000)
    : undefined;
  const started = performance.now();
  let rows = 0;
  if (mode === 'baseline') {
    const evidence = new EvidenceRepository(await app.store());
    for await (const row of evidence.population('bench-production-changes', period.start, period.end)) {
      if (toPopulationRow(row).key) rows += 1;
    }
  } else {
    const written = await writeAuditorPackage(app, { period, out });
    rows = written.populations[0]?.items ?? 0;
  }
  await app.close();
  if (probe) clearInterval(probe);
  const seconds = (performance.now() - started) / 1_000;
  process.stdout.write(
    `${JSON.stringify({ rows, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const items = Number(option('--items') ?? 1_000_000);
  const perDay = Math.ceil(items / DAYS);
  if (option('--child')) return child(option('--child')!, option('--store')!, perDay, option('--out')!);

  const dir = mkdtempSync(path.join(tmpdir(), 'ew-bench-export-'));
  const storeUrl = `file:${path.join(dir, 'evidence.db')}`;
  const fillStarted = performance.now();
  const app = await benchApp(storeUrl, perDay);
  const runner = await appRunner(app, new LocalLimiter(), { batchSize: 5_000 });
  const stream = app.registry.streams[0]!;
  for (const window of gridWindows(period.start, period.end, stream.cadenceMs))
    await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
  const population = await new EvidenceRepository(await app.store()).countPopulation(
    stream.id,
    period.start,
    period.end,
  );
  await app.close();
  const fillSeconds = (performance.now() - fillStarted) / 1_000;

  const self = fileURLToPath(import.meta.url);
  const run = (mode: string) => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        self,
        '--child',
        mode,
        '--store',
        storeUrl,
        '--items',
        String(items),
        '--out',
        path.join(dir, 'package'),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (result.status !== 0) throw new Error(`${mode} failed: ${result.stderr}`);
    if (process.env.BENCH_PROBE) process.stderr.write(`${mode}:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      rows: number;
      seconds: number;
      maxRssMB: number;
    };
  };
  const baseline = run('baseline');
  const exported = run('export');
  const size = (name: string) => Math.round(statSync(path.join(dir, 'package', name)).size / 1_048_576);
  console.log(
    JSON.stringify({
      bench: 'export',
      items: population,
      fillSeconds: Math.round(fillSeconds),
      baselineReadPeakRssMB: Math.round(baseline.maxRssMB),
      baselineSeconds: Math.round(baseline.seconds),
      exportPeakRssMB: Math.round(exported.maxRssMB),
      exportSeconds: Math.round(exported.seconds),
      exportedRows: exported.rows,
      limitMB: 300,
      withinLimit: exported.maxRssMB <= 300,
      csvMB: size('CC8.1_Production_Changes_2026-Q2.csv'),
      xlsxMB: size('CC8.1_Production_Changes_2026-Q2.xlsx'),
      node: process.version,
    }),
  );
  // BENCH_KEEP=1 leaves the store and package behind, to rerun one child by hand.
  if (process.env.BENCH_KEEP) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();

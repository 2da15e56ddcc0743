/**
 * CLI start-up: wall time and peak RSS of `catalog CC6.1`, `streams`, `--help` and `verify` (every connector
 * configured, read as ./evidence-worker.yaml), run as an installed package runs them: `bin/evidence-worker.js`
 * beside `dist/` and no `src/`, so the bin starts the bundle (dist/cli/). Beside `node -e 0` in the same run.
 * Each command three ways: V8's compile cache warm (the usual case after the first run), cold (an empty cache
 * dir each run: compiling and writing the cache), and off (NODE_DISABLE_COMPILE_CACHE=1).
 * Builds dist/ first (`npm run build`) unless `--no-build`. One JSON line per figure; the median of `runs`.
 *   tsx bench/cli-start.ts [runs] [--no-build]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 5);

if (!process.argv.includes('--no-build')) {
  for (const step of [
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    [path.join(root, 'scripts/build-cli.mjs')],
  ]) {
    const build = spawnSync(process.execPath, step, { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(1);
  }
}

// The package as npm installs it: bin/, dist/, config/, package.json and node_modules, no src/.
const work = mkdtempSync(path.join(tmpdir(), 'ew-bench-start-'));
const app = path.join(work, 'evidence-worker');
mkdirSync(path.join(app, 'bin'), { recursive: true });
copyFileSync(path.join(root, 'bin/evidence-worker.js'), path.join(app, 'bin/evidence-worker.js'));
copyFileSync(path.join(root, 'package.json'), path.join(app, 'package.json'));
for (const dir of ['dist', 'config', 'node_modules']) symlinkSync(path.join(root, dir), path.join(app, dir));
const bin = path.join(app, 'bin/evidence-worker.js');

// A package whose manifest is empty: `verify` reads and refuses it (exit 2), the work of its start-up.
const pkg = path.join(work, 'package');
mkdirSync(pkg);
writeFileSync(path.join(pkg, 'MANIFEST.json'), '{}');
// Every connector configured, as a company using them all would: `streams` and `catalog` list every stream.
writeFileSync(
  path.join(pkg, 'evidence-worker.yaml'),
  `connectors:
  github: { org: acme }
  aws:
    accounts:
      - { id: '123456789012', regions: [us-east-1, eu-west-1], cloudtrail: { source: lookup } }
  jira: { site: https://acme.atlassian.net, projects: [CHG] }
  linear: { teams: [ENG] }
  okta: { orgUrl: https://acme.okta.com }
  google-workspace: { subject: it-admin@acme.com }
  hr-file: { directory: ./hr-exports }
`,
);

type Cache = 'warm' | 'cold' | 'off';

/** The environment of one start: a cache dir of its own for cold starts, none at all for `off`. */
function environment(cache: Cache, run: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (cache === 'off') env.NODE_DISABLE_COMPILE_CACHE = '1';
  else env.XDG_CACHE_HOME = path.join(work, cache === 'warm' ? 'cache-warm' : `cache-cold-${run}`);
  return env;
}

/** GNU time reports the child's peak RSS; the median of `runs` starts is printed. */
function measure(
  args: readonly string[],
  cache: Cache,
): { seconds: number; peakRssMb: number; exitCode: number | null } {
  const seconds: number[] = [];
  let exitCode: number | null = null;
  const rss: number[] = [];
  // The warm cache is written by a first start that is not counted.
  if (cache === 'warm') spawnSync(process.execPath, args, { cwd: pkg, env: environment(cache, 0) });
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
      cwd: pkg,
      encoding: 'utf8',
      env: environment(cache, run),
    });
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    exitCode = result.status;
    rss.push(Number(result.stderr.trim().split('\n').pop()) / 1024);
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  return {
    seconds: Number(median(seconds).toFixed(3)),
    peakRssMb: Number(median(rss).toFixed(1)),
    exitCode,
  };
}

const load = () => loadavg().map((value) => Number(value.toFixed(2)));
console.log(JSON.stringify({ bench: 'cli-start', runs, loadAverageBefore: load() }));
const baseline = measure(['-e', '0'], 'off');
console.log(JSON.stringify({ bench: 'cli-start', command: 'node -e 0', ...baseline }));
for (const command of [['catalog', 'CC6.1'], ['streams'], ['--help'], ['verify', pkg]]) {
  for (const cache of ['warm', 'cold', 'off'] as const) {
    const figure = measure([bin, ...command], cache);
    console.log(
      JSON.stringify({
        bench: 'cli-start',
        command: command.join(' ').replace(pkg, 'PKG'),
        compileCache: cache,
        ...figure,
        overBaselineSeconds: Number((figure.seconds - baseline.seconds).toFixed(3)),
        target: { seconds: 0.3, peakRssMb: 80 },
      }),
    );
  }
}
console.log(JSON.stringify({ bench: 'cli-start', loadAverageAfter: load() }));
rmSync(work, { recursive: true, force: true });

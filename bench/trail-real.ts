/**
 * Real-shaped trail ingestion end to end, as a user runs it: `evidence-worker backfill --inline` of the
 * access changes over a directory of real-shaped trail files (bench/trail-records.ts), from the compiled
 * dist/ including start-up, beside `zcat | jq` selecting the IAM and Identity Center writes of the same
 * files in the same run. Prints wall time and peak RSS of each (GNU time), then the same for one 50 MB file.
 *   tsx bench/trail-real.ts [events=1000000] [--no-build] [--only=day|one_50mb_file]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRealTrail, type TrailSet } from './trail-records.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const events = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000);
const main = path.join(root, 'dist/src/cli/main.js');
// As bin/evidence-worker.js (and the image's ENTRYPOINT, test/deploy/v8-flags.test.ts) start the CLI: the
// flags of its shebang (see the Dockerfile why).
const NODE_FLAGS = (readFileSync(path.join(root, 'bin/evidence-worker.js'), 'utf8').split('\n')[0] ?? '')
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));
const ACCOUNT = '123456789012';
const DAY = Date.UTC(2026, 2, 3);
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const print = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure));

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (build.status !== 0) process.exit(1);
}

/** Wall seconds and peak RSS (MB) of a command, and its output. */
function timed(command: string, args: string[], cwd: string) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = result.stderr.trim().split('\n');
  const peakRssMb = Number(lines.pop()) / 1024;
  return { seconds, peakRssMb, status: result.status, stdout: result.stdout, stderr: lines.join('\n') };
}

/** The user's run: a config naming the trail directory, then backfill of the day, inline. */
function backfill(trail: TrailSet) {
  const work = mkdtempSync(path.join(tmpdir(), 'ew-bench-real-'));
  writeFileSync(
    path.join(work, 'evidence-worker.yaml'),
    `connectors:
  aws:
    accounts:
      - id: '${ACCOUNT}'
        regions: [us-east-1, eu-west-1]
        cloudtrail: { source: dir, path: ${JSON.stringify(trail.root)} }
`,
  );
  const day = new Date(DAY).toISOString().slice(0, 10);
  const run = timed(
    process.execPath,
    [
      ...NODE_FLAGS,
      main,
      'backfill',
      '--stream',
      'aws-cloudtrail-access-changes',
      '--from',
      day,
      '--to',
      day,
      '--inline',
    ],
    work,
  );
  if (run.status !== 0) throw new Error(`backfill exited ${run.status}: ${run.stderr}\n${run.stdout}`);
  const stored = Number(/items new (\d+)/.exec(run.stdout)?.[1] ?? NaN);
  rmSync(work, { recursive: true, force: true });
  return { ...run, stored };
}

const JQ_FILTER =
  '.Records[] | select((.eventSource == "iam.amazonaws.com" or .eventSource == "sso.amazonaws.com") and .readOnly == false) | .eventID';

/** The baseline a user would write: zcat every file into jq, selecting IAM and Identity Center writes. */
function jq(trail: TrailSet) {
  const script = `zcat ${trail.files.map((file) => JSON.stringify(file)).join(' ')} | jq -r '${JQ_FILTER}' | wc -l`;
  const list = path.join(trail.root, 'jq.sh');
  writeFileSync(list, script);
  const run = timed('bash', [list], trail.root);
  return { ...run, selected: Number(run.stdout.trim()) };
}

const hasJq = spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0;
if (!hasJq)
  console.error('trail-real: jq is not installed; the jq baseline is skipped (nothing is installed)');

for (const shape of [
  { name: 'day', events, filesPerDay: 345 },
  { name: 'one_50mb_file', events: 0, filesPerDay: 1 },
]) {
  if (only && shape.name !== only) continue;
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-bench-trail-'));
  // One file of about 50 MB gzipped: real records compress about 8:1, so some 330,000 of them.
  const count = shape.events || 330_000;
  const trail = writeRealTrail({
    root: dir,
    account: ACCOUNT,
    day: DAY,
    events: count,
    filesPerDay: shape.filesPerDay,
  });
  const ours = backfill(trail);
  const baseline = hasJq ? jq(trail) : undefined;
  const biggest = Math.max(...trail.files.map((file) => statSync(file).size));
  print({
    bench: 'trail-real',
    shape: shape.name,
    events: trail.events,
    files: trail.files.length,
    gzMb: Number((trail.bytes / 2 ** 20).toFixed(1)),
    largestFileMb: Number((biggest / 2 ** 20).toFixed(1)),
    accessChangesStored: ours.stored,
    seconds: Number(ours.seconds.toFixed(2)),
    peakRssMb: Math.round(ours.peakRssMb),
    baseline: baseline
      ? {
          what: 'zcat | jq selecting IAM and Identity Center writes',
          seconds: Number(baseline.seconds.toFixed(2)),
          peakRssMb: Math.round(baseline.peakRssMb),
          selected: baseline.selected,
        }
      : 'jq not installed',
    timesFasterThanJq: baseline ? Number((baseline.seconds / ours.seconds).toFixed(2)) : null,
    target: { timesFasterThanJq: 3, peakRssMb: 300 },
  });
  rmSync(dir, { recursive: true, force: true });
}

/**
 * CLI start-up: wall time and peak RSS of `catalog CC6.1`, `streams`, `--help` and `verify` (every connector
 * configured, read as ./evidence-worker.yaml) from the compiled `dist/`, beside `node -e 0` in the same run.
 * Builds dist/ first unless `--no-build`. One JSON line per figure.
 *   tsx bench/cli-start.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 5);
const main = path.join(root, 'dist/src/cli/main.js');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(1);
}

// A package of one file, so `verify` does its real work.
const pkg = mkdtempSync(path.join(tmpdir(), 'ew-bench-verify-'));
writeFileSync(path.join(pkg, 'MANIFEST.json'), '{}');
// Every connector configured, as a company using them all would: `streams` and `catalog` list every stream.
const config = path.join(pkg, 'evidence-worker.yaml');
writeFileSync(
  config,
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

/** GNU time reports the child's peak RSS; the median of `runs` starts is printed. */
function measure(args: readonly string[]): { seconds: number; peakRssMb: number } {
  const seconds: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
      cwd: pkg,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    const kb = Number(result.stderr.trim().split('\n').pop());
    rss.push(kb / 1024);
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  return { seconds: Number(median(seconds).toFixed(3)), peakRssMb: Number(median(rss).toFixed(1)) };
}

const baseline = measure(['-e', '0']);
console.log(JSON.stringify({ bench: 'cli-start', command: 'node -e 0', ...baseline }));
for (const command of [['catalog', 'CC6.1'], ['streams'], ['--help'], ['verify', pkg]]) {
  const figure = measure([main, ...command]);
  console.log(
    JSON.stringify({
      bench: 'cli-start',
      command: command.join(' ').replace(pkg, 'PKG'),
      ...figure,
      overBaselineSeconds: Number((figure.seconds - baseline.seconds).toFixed(3)),
      target: { seconds: 0.3, peakRssMb: 80 },
    }),
  );
}

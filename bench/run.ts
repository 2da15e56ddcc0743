/**
 * `npm run bench`: every figure the issues name, one JSON line each, each beside a baseline measured in the
 * same run. Each bench runs in its own process so one's memory does not colour another's peak.
 *   npm run bench             full sizes (about an hour on a 2-core machine)
 *   npm run bench -- --quick  small sizes, the same figures (a few minutes)
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const here = path.dirname(fileURLToPath(import.meta.url));

const benches: { file: string; args: string[]; what: string }[] = [
  {
    file: 'cli-start.ts',
    args: [quick ? '3' : '7'],
    what: 'CLI start time and peak RSS of the installed bin (the bundle; compile cache warm, cold, off), vs node -e 0',
  },
  {
    file: 'pipeline.ts',
    args: [quick ? '20000' : '200000'],
    what: 'sandbox -> BullMQ -> store, vs bare bulk insert',
  },
  {
    file: 'github-requests.ts',
    args: [quick ? '30' : '180'],
    what: 'GitHub rate-limit points per production change (backfill, service), vs naive REST',
  },
  {
    file: 'cloudtrail.ts',
    args: quick ? ['100000', '10'] : ['1000000', '30'],
    what: 'trail-file ingestion, peak memory, LookupEvents pacing',
  },
  {
    // dist/ was built by cli-start.ts above.
    file: 'trail-real.ts',
    args: [quick ? '100000' : '1000000', '--no-build'],
    what: 'real-shaped trail backfill through the CLI, and one 50 MB file, vs zcat | jq',
  },
  {
    file: 'awscli-lookup.ts',
    args: [quick ? '7' : '25'],
    what: 'LookupEvents population: ours vs the AWS CLI',
  },
  {
    file: 'continuity.ts',
    args: quick ? ['175200'] : ['175200', '2000000'],
    what: 'continuity over 175k and 2M ledger rows, vs a plain read',
  },
  {
    file: 'people-checks.ts',
    args: quick ? ['200', '90'] : ['2000', '365'],
    what: 'people checks over a year of daily snapshots (2,000 people, 5 systems): time and rows read, vs one plain read',
  },
  {
    file: 'export.ts',
    args: ['--items', quick ? '100000' : '1000000'],
    what: 'peak memory of an export, vs reading the rows',
  },
];

console.error(
  `bench on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}${quick ? ' (quick sizes)' : ''}`,
);
let failed = 0;
for (const bench of benches) {
  console.error(`\n# ${bench.file}: ${bench.what}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, bench.file), ...bench.args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  for (const line of result.stdout.split('\n')) if (line.trim().startsWith('{')) console.log(line.trim());
  if (result.status !== 0) {
    failed += 1;
    console.log(JSON.stringify({ bench: bench.file, error: `exited ${result.status ?? result.signal}` }));
  }
}
process.exit(failed ? 1 : 0);

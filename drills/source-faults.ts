import { hrFileFaults } from './hr-faults.js';
import { saasFaults } from './saas-faults.js';
import { startCli, tail } from './support/cli.js';
import { AWS_STREAMS } from './support/aws-world.js';
import { DrillFailure, type Drill, type DrillContext, type Reference } from './support/context.js';
import { LedgerProbe, prepareStore } from './support/ledger-probe.js';
import { sqliteUrl } from './support/github-world.js';
import { sleep } from './support/ports.js';
import { compareStores, snapshotStore, unsettledWindows } from './support/store-compare.js';

/** The mix the issue asks for: 10 % server errors, plus secondary limits, timeouts and truncated bodies. */
export const GITHUB_FAULTS = {
  serverErrorRate: 0.1,
  secondaryRateLimitRate: 0.04,
  retryAfterSeconds: 1,
  timeoutRate: 0.03,
  timeoutMs: 1_500,
  truncateRate: 0.04,
};

/** AWS: 10 % server errors, throttling, requests held past the SDK's 2 s timeout, truncated bodies. */
export const AWS_FAULTS = {
  serverErrorRate: 0.1,
  throttleRate: 0.05,
  timeoutRate: 0.03,
  timeoutMs: 3_000,
  truncateRate: 0.04,
};

/**
 * One backfill under faults: it must exit 0 and its store must equal the fault-free reference.
 * `during` runs beside it with the ledger probe (to throttle the source in the middle).
 */
async function faultedBackfill(
  args: (config: string) => string[],
  config: (storeUrl: string) => string,
  env: NodeJS.ProcessEnv,
  reference: Reference,
  during: (probe: LedgerProbe, alive: () => boolean) => Promise<void> = async () => undefined,
): Promise<{ rows: number; runs: Record<string, number>; storeUrl: string }> {
  const storeUrl = sqliteUrl();
  await prepareStore(storeUrl);
  const probe = new LedgerProbe(storeUrl);
  const run = startCli(args(config(storeUrl)), env);
  const limitMs = 4 * reference.durationMs + 180_000;
  const timer = setTimeout(() => run.child.kill('SIGKILL'), limitMs);
  try {
    await during(probe, () => !run.exited());
    const result = await run.done;
    if (result.code !== 0)
      throw new DrillFailure(
        `the backfill ${result.signal === 'SIGKILL' ? `did not finish within ${limitMs} ms` : `exited ${result.code}`} under faults: ${tail(result.stdout + result.stderr)}`,
        { unsettled: await unsettledWindows(storeUrl, reference.storeUrl), store: storeUrl },
      );
  } finally {
    clearTimeout(timer);
    if (!run.exited()) run.child.kill('SIGKILL');
    await probe.close();
  }
  const actual = await snapshotStore(storeUrl);
  const problems = compareStores(reference.snapshot, actual);
  if (problems.length) throw new DrillFailure(problems.join('; '), { store: storeUrl });
  return { rows: actual.rows, runs: actual.runs, storeUrl };
}

const counted = (injected: Record<string, number>) =>
  Object.entries(injected)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');

/**
 * The GitHub sandbox injects its faults for a whole backfill and, in the middle, exhausts the primary rate
 * limit for a moment (every request refused until the reset); then the AWS sandbox injects its own faults
 * (throttling included) into a backfill of the six AWS streams. Each store must equal its fault-free reference.
 */
export const sourceFaultsDrill: Drill = {
  name: 'source-faults',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const { faults, requests } = context.world.sandbox;
    const before = { total: requests.total, ...faults.injected };
    faults.set(GITHUB_FAULTS);
    const github = await faultedBackfill(
      (config) => context.backfillArgs(config),
      (storeUrl) => context.config({ storeUrl }),
      context.env,
      reference,
      async (probe, alive) => {
        const throttleAt = Math.max(1, Math.floor(reference.changeWindows * 0.4));
        while (alive() && (await probe.settled('github-production-changes')) < throttleAt) await sleep(25);
        // Throttling: the primary limit is exhausted until at least one request has been refused (>= 1.5 s).
        faults.set({ primaryLimitExhausted: true, primaryResetSeconds: 2 });
        const until = Date.now() + 1_500;
        while (
          alive() &&
          (Date.now() < until || faults.injected.primary_rate_limit === before.primary_rate_limit)
        )
          await sleep(10);
        faults.set({ primaryLimitExhausted: false });
        // A short run may draw no fault of some kind: force each missing kind until it has hit once.
        for (const [kind, rate] of [
          ['secondary_rate_limit', 'secondaryRateLimitRate'],
          ['timeout', 'timeoutRate'],
          ['truncated', 'truncateRate'],
        ] as const) {
          faults.set({ [rate]: 1 });
          while (alive() && faults.injected[kind] === before[kind]) await sleep(10);
          faults.set(GITHUB_FAULTS);
        }
      },
    ).finally(() => faults.reset());
    const githubInjected = Object.fromEntries(
      Object.entries(faults.injected).map(([kind, count]) => [
        kind,
        count - before[kind as keyof typeof faults.injected],
      ]),
    );
    const githubRequests = requests.total - before.total;
    const kinds = ['server_error', 'secondary_rate_limit', 'timeout', 'truncated', 'primary_rate_limit'];
    if (kinds.some((kind) => !githubInjected[kind]))
      throw new DrillFailure(
        `GitHub faults were not all injected (${JSON.stringify(githubInjected)}): the drill proved nothing`,
      );

    const aws = await context.awsReference();
    const awsFaults = aws.world.sandbox.faults;
    awsFaults.reset();
    const awsResult = await faultedBackfill(
      aws.args,
      (storeUrl) => context.config({ storeUrl, connectors: aws.world.connectors }),
      { ...context.env, ...aws.world.env },
      aws.reference,
      async (_probe, alive) => {
        // Few requests make up an AWS backfill: open with one fault of each kind, then the random mix.
        for (const [kind, rate] of [
          ['serverError', 'serverErrorRate'],
          ['throttle', 'throttleRate'],
          ['timeout', 'timeoutRate'],
          ['truncate', 'truncateRate'],
        ] as const) {
          Object.assign(awsFaults, {
            serverErrorRate: 0,
            throttleRate: 0,
            timeoutRate: 0,
            truncateRate: 0,
            [rate]: 1,
          });
          while (alive() && awsFaults.injected[kind] === 0) await sleep(10);
        }
        Object.assign(awsFaults, AWS_FAULTS);
      },
    ).finally(() =>
      Object.assign(awsFaults, { serverErrorRate: 0, throttleRate: 0, timeoutRate: 0, truncateRate: 0 }),
    );
    const awsInjected = { ...awsFaults.injected };
    if (!awsInjected.serverError || !awsInjected.throttle || !awsInjected.timeout || !awsInjected.truncate)
      throw new DrillFailure(
        `AWS faults were not all injected (${JSON.stringify(awsInjected)}): the drill proved nothing`,
      );
    const awsRequests = Object.values(aws.world.sandbox.requests).reduce((sum, count) => sum + count, 0);
    const saas = await saasFaults(context, faultedBackfill, Math.max(2, context.sizes.awsDays + 1));
    const saasInjected = Object.entries(saas.injected)
      .map(([name, counts]) => `${name} ${counted(counts)}`)
      .join('; ');
    const hr = await hrFileFaults(context, faultedBackfill, Math.max(4, context.sizes.awsDays + 3));
    return {
      figure:
        `github: ${counted(githubInjected)} in ${githubRequests} requests, ${github.rows}/${reference.snapshot.rows} items equal; ` +
        `aws (${AWS_STREAMS.length} streams): ${counted(awsInjected)} in the faulted run, ${awsResult.rows}/${aws.reference.snapshot.rows} items equal; ` +
        `okta, google, jira, linear: ${saasInjected}, ${saas.rows}/${saas.referenceRows} items equal; ` +
        `hr-file: ${hr.codes.join(', ')} retried, ${hr.rows}/${hr.referenceRows} items equal`,
      details: {
        github: { requests: githubRequests, injected: githubInjected, runs: github.runs },
        aws: { requestsBothRuns: awsRequests, injected: awsInjected, runs: awsResult.runs },
        saas: { injected: saas.injected, runs: saas.runs },
        hr: { codes: hr.codes, runs: hr.runs },
      },
    };
  },
};

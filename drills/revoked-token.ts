import { runCli, startCli, tail } from './support/cli.js';
import { DrillFailure, type Drill, type DrillContext } from './support/context.js';
import { LedgerProbe, prepareStore } from './support/ledger-probe.js';
import { sqliteUrl } from './support/github-world.js';
import { startOtherSource, otherSourceConfig, FAKE_STREAMS } from './support/other-source.js';
import { freePort, sleep, until } from './support/ports.js';
import { compareStores, snapshotStore } from './support/store-compare.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import { openStore } from '../src/store/open-store.js';

const DAY = 86_400_000;
/** Continuity checks (and planner ticks) every 2 s instead of every 5 min, so the drill takes seconds. */
const FAST_SCHEDULE = `schedule:\n  planner: '*/2 * * * * *'\n  continuity: '*/2 * * * * *'\n`;

/**
 * The real service (`start`) catches up GitHub and a second connector from `audit.start`; a third of the way
 * through GitHub's windows the sandbox revokes the token. The continuity checker must raise a failing alert
 * (delivered to a webhook) for GitHub, the queue must not retry the fatal error, and the other connector's
 * streams must go on to equal their uninterrupted reference.
 */
export const revokedTokenDrill: Drill = {
  name: 'revoked-token',
  async run(context: DrillContext) {
    const reference = await context.reference();
    const { world } = context;
    const from = Date.parse(`${world.from}T00:00:00Z`);
    const to = Date.parse(`${world.to}T00:00:00Z`) + DAY;
    const other = await startOtherSource(context.seed, from, to);
    const receiver = await startWebhookReceiver();
    const otherParts = otherSourceConfig(other.source);
    const env = { ...context.env, FAKE_SOURCE_TOKEN: other.token };
    try {
      // The other connector's uninterrupted reference, by the same CLI, over the same fake data.
      const otherReferenceUrl = sqliteUrl();
      const backfill = await runCli(
        [
          ...context.backfillArgs(context.config({ storeUrl: otherReferenceUrl, ...otherParts })),
          ...FAKE_STREAMS.flatMap((id) => ['--stream', id]),
        ],
        env,
        300_000,
      );
      if (backfill.code !== 0)
        throw new DrillFailure(`the fake connector's reference backfill failed: ${tail(backfill.stderr)}`);
      const otherReference = await snapshotStore(otherReferenceUrl);
      const otherWindows = (otherReference.runs.succeeded ?? 0) + (otherReference.runs.unrecoverable ?? 0);

      const storeUrl = sqliteUrl();
      await prepareStore(storeUrl);
      const probe = new LedgerProbe(storeUrl);
      const config = context.config({
        storeUrl,
        connectors: otherParts.connectors,
        extra: `${otherParts.extra}audit:\n  start: '${world.from}'\n${FAST_SCHEDULE}alerts:\n  webhook: { url: '${receiver.url}', format: json, backoff: 1s }\nhttp:\n  port: ${await freePort()}\n`,
      });
      const service = startCli(['--config', config, 'start'], env);
      const revokeAt = Math.max(1, Math.floor(reference.changeWindows / 3));
      let observed = { checks: 0, revoked401: 0, failedRuns: 0 };
      try {
        await until(
          async () => service.exited() || (await probe.settled('github-production-changes')) >= revokeAt,
          `${revokeAt} GitHub windows collected by the service`,
          120_000,
          25,
        );
        if (service.exited())
          throw new DrillFailure(`the service stopped: ${tail((await service.done).stderr)}`);
        world.sandbox.faults.set({ revokedToken: true });
        const revokedAt = Date.now();
        const failing = await until(
          async () =>
            service.exited() ||
            receiver.received.find(
              (body) =>
                body.event === 'alert.opened' &&
                body.alert.kind === 'failing' &&
                body.alert.stream === 'github-production-changes',
            ),
          'a failing alert for github-production-changes at the webhook',
          90_000,
          100,
        );
        if (failing === true)
          throw new DrillFailure(`the service stopped: ${tail((await service.done).stderr)}`);
        const alertAfterMs = Date.now() - revokedAt;
        await until(
          async () =>
            (await probe.settled('fake-changes')) + (await probe.settled('fake-members')) >= otherWindows,
          `the ${otherWindows} windows of the other connector`,
          180_000,
          100,
        );
        // Watch a few more continuity checks with the token still revoked: how often is GitHub asked again?
        const ledger = await openStore(storeUrl);
        const failedNow = async () =>
          Number(
            (
              await ledger.db
                .selectFrom('runs')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('error_code', '=', 'AUTH_INVALID')
                .executeTakeFirstOrThrow()
            ).n,
          );
        const failedBefore = await failedNow();
        const requestsBefore = world.sandbox.faults.injected.revoked;
        const watchMs = 8_000;
        await sleep(watchMs);
        observed = {
          checks: Math.round(watchMs / 2_000),
          revoked401: world.sandbox.faults.injected.revoked - requestsBefore,
          failedRuns: (await failedNow()) - failedBefore,
        };
        await ledger.close();
        const stopping = Date.now();
        service.child.kill('SIGTERM');
        const stopped = await Promise.race([service.done, sleep(30_000).then(() => undefined)]);
        if (!stopped) {
          service.child.kill('SIGKILL');
          throw new DrillFailure('the service did not stop within 30 s of SIGTERM');
        }

        const problems: string[] = [];
        const store = await openStore(storeUrl);
        const runs = await store.db
          .selectFrom('runs')
          .selectAll()
          .where('stream', 'like', 'github-%')
          .execute();
        await store.close();
        const authRuns = runs.filter((run) => run.error_code === 'AUTH_INVALID');
        const otherErrors = runs.filter(
          (run) => run.status === 'failed' && run.error_code !== 'AUTH_INVALID',
        );
        const retried = authRuns.filter((run) => run.attempt > 1);
        if (authRuns.length === 0) problems.push('no run recorded AUTH_INVALID after the revocation');
        if (otherErrors.length)
          problems.push(
            `GitHub runs failed with other codes: ${[...new Set(otherErrors.map((r) => r.error_code))].join(', ')}`,
          );
        if (retried.length)
          problems.push(
            `${retried.length} AUTH_INVALID run(s) were retries by the queue (attempt > 1): a fatal error was retried`,
          );
        // Bounded effort: at most one new attempt per failed window per continuity check, never a loop.
        const failedWindows = new Set(authRuns.map((run) => `${run.stream}@${run.window_start}`)).size;
        if (observed.failedRuns > failedWindows * (observed.checks + 1))
          problems.push(
            `retry storm: ${observed.failedRuns} AUTH_INVALID runs in ${watchMs} ms over ${failedWindows} windows`,
          );
        const opened = receiver.received.filter(
          (body) => body.event === 'alert.opened' && body.alert.kind === 'failing',
        );
        const wrong = opened.filter((body) => !body.alert.stream.startsWith('github-'));
        if (wrong.length)
          problems.push(
            `failing alert(s) for streams that went on: ${wrong.map((b) => b.alert.stream).join(', ')}`,
          );
        if (!/AUTH_INVALID/.test(failing.text))
          problems.push(`the failing alert does not name the credential error: "${failing.text}"`);
        const actual = await snapshotStore(storeUrl);
        problems.push(...compareStores(otherReference, actual, FAKE_STREAMS));
        // GitHub items written before the revocation must still be exactly the reference's.
        problems.push(
          ...compareStores(reference.snapshot, actual, world.streams).filter(
            (problem) => !problem.includes('missing'),
          ),
        );
        if (problems.length)
          throw new DrillFailure(problems.join('; '), {
            observed,
            alerts: opened.map((b) => b.text),
            store: storeUrl,
          });
        const githubItems = world.streams.reduce((sum, id) => sum + (actual.byStream[id] ?? 0), 0);
        const otherItems = FAKE_STREAMS.reduce((sum, id) => sum + (actual.byStream[id] ?? 0), 0);
        return {
          figure: `failing alert ${(alertAfterMs / 1_000).toFixed(1)} s after the revocation (${opened.length} github stream(s)); ${authRuns.length} AUTH_INVALID runs, none retried by the queue; while revoked ${observed.failedRuns} runs / ${observed.revoked401} requests in ${observed.checks} checks; other connector ${otherItems}/${otherReference.rows} items equal, github ${githubItems} items kept`,
          details: {
            alertAfterMs,
            alerts: opened.map((b) => b.text),
            observed,
            authRuns: authRuns.length,
            stoppedInMs: Date.now() - stopping,
          },
        };
      } finally {
        if (!service.exited()) service.child.kill('SIGKILL');
        await probe.close();
      }
    } finally {
      await receiver.stop();
      await other.source.stop();
    }
  },
};

import { streamBackfillArgs } from './support/cli.js';
import { DrillFailure, referenceBackfill, type DrillContext, type Reference } from './support/context.js';
import { SAAS_STREAMS, startSaasWorld, type SaasWorld } from './support/saas-world.js';
import type { LedgerProbe } from './support/ledger-probe.js';

/** Okta and Google: 10 % 503s and 429s with a reset header; Jira and Linear: 503s, 429 / RATELIMITED. */
const PEOPLE_FAULTS = { serverErrorRate: 0.1, rateLimitRate: 0.08, resetSeconds: 1 };
const TICKET_FAULTS = { serverErrorRate: 0.1, rateLimitRate: 0.08, retryAfterSeconds: 1 };

export type FaultedBackfill = (
  args: (config: string) => string[],
  config: (storeUrl: string) => string,
  env: NodeJS.ProcessEnv,
  reference: Reference,
  during?: (probe: LedgerProbe, alive: () => boolean) => Promise<void>,
) => Promise<{ rows: number; runs: Record<string, number>; storeUrl: string }>;

const args = (world: SaasWorld) => (config: string) => streamBackfillArgs(config, world, SAAS_STREAMS);

/**
 * The identity provider, the directory and both ticket systems under faults: a backfill of their event
 * streams must exit 0 and store exactly what the fault-free reference stored, each fault kind hit at least once.
 */
export async function saasFaults(context: DrillContext, faultedBackfill: FaultedBackfill, days: number) {
  const world = await startSaasWorld(context.seed, days);
  try {
    const env = { ...context.env, ...world.env };
    const config = (storeUrl: string) => context.config({ storeUrl, connectors: world.connectors });
    const reference = await referenceBackfill(
      'SaaS',
      (storeUrl) => args(world)(config(storeUrl)),
      env,
      days,
      600_000,
    );
    const { snapshot } = reference;
    const sources = { okta: world.okta, google: world.google, jira: world.jira, linear: world.linear };
    // Few requests make up these backfills: each source's first request gets a 503, its retry a 429, then
    // the random mix (a source never faults more than twice in a row, so a retrying client gets through).
    const people = [world.okta.faults, world.google.faults];
    const tickets = [world.jira.faults, world.linear.faults];
    for (const faults of [...people, ...tickets]) faults.set({ serverErrorRate: 1, rateLimitRate: 0 });
    const force = async (_probe: unknown, alive: () => boolean) => {
      const stage = new Map<object, number>();
      while (alive() && [...people, ...tickets].some((faults) => (stage.get(faults) ?? 0) < 2)) {
        for (const faults of [...people, ...tickets]) {
          const at = stage.get(faults) ?? 0;
          if (at === 0 && faults.injected.server_error > 0) {
            faults.set({ serverErrorRate: 0, rateLimitRate: 1 });
            stage.set(faults, 1);
          } else if (at === 1 && faults.injected.rate_limited > 0) {
            if (people.includes(faults as (typeof people)[number])) faults.set(PEOPLE_FAULTS);
            else faults.set(TICKET_FAULTS);
            stage.set(faults, 2);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const faulted = await faultedBackfill(args(world), config, env, reference, force).finally(() => {
      for (const source of Object.values(sources)) source.faults.reset();
    });
    const injected = Object.fromEntries(
      Object.entries(sources).map(([name, source]) => [name, { ...source.faults.injected }]),
    );
    const missing = Object.entries(injected).filter(
      ([, counts]) => !counts.server_error || !counts.rate_limited,
    );
    if (missing.length)
      throw new DrillFailure(
        `SaaS faults were not all injected (${JSON.stringify(injected)}): the drill proved nothing`,
      );
    return { rows: faulted.rows, referenceRows: snapshot.rows, injected, runs: faulted.runs };
  } finally {
    await world.stop();
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { appRunner, openApp, type App } from '../../src/app.js';
import type { AnyCheck } from '../../src/checks/check.js';
import type { AnyConnector } from '../../src/stream.js';
import { parseConfig } from '../../src/config/load.js';
import { LocalLimiter } from '../../src/limiter.js';
import { gridWindows, type Window } from '../../src/time.js';
import { fixtureChecks, fixtureConnector } from './fixture-connector.js';

export const NOW = Date.UTC(2026, 6, 10);

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `ew-${prefix}-`));
}

/** An app over the fixture connector; the config text is what the manifest hashes. */
export async function fixtureApp(options: {
  storeUrl: string;
  failDays?: string[];
  categories?: string[];
  now?: number;
  /** More top-level config sections (e.g. `signing`). */
  extra?: Record<string, unknown>;
  /** `checks.<id>` policies, as a config file would set them. */
  checks?: Record<string, Record<string, unknown>>;
  /** Another fixture source instead of the audit fixture, with its config section and checks. */
  connector?: { connector: AnyConnector; config: Record<string, unknown>; checks: AnyCheck[] };
}): Promise<App> {
  const raw = {
    store: { url: options.storeUrl },
    audit: { categories: options.categories ?? [] },
    connectors: options.connector
      ? { [options.connector.connector.id]: options.connector.config }
      : { 'audit-fixture': { failDays: options.failDays ?? [] } },
    checks: options.checks ?? {},
    logLevel: 'silent',
    ...options.extra,
  };
  return openApp({
    config: {
      config: parseConfig(raw, {}),
      baseDir: tempDir('base'),
      file: undefined,
      source: JSON.stringify(raw),
    },
    env: {},
    extraConnectors: [options.connector?.connector ?? fixtureConnector],
    extraChecks: options.connector?.checks ?? fixtureChecks,
    logger: pino({ level: 'silent' }),
    clock: () => options.now ?? NOW,
  });
}

/** Collects every window of the period through the real runner, except those `skip` names (never attempted). */
export async function fillThroughRunner(
  app: App,
  period: Window,
  skip: (stream: string, window: Window) => boolean = () => false,
): Promise<void> {
  const runner = await appRunner(app, new LocalLimiter());
  for (const stream of app.registry.streams) {
    for (const window of gridWindows(period.start, period.end, stream.cadenceMs)) {
      if (skip(stream.id, window)) continue;
      await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
    }
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { appRunner, openApp, type App } from '../../src/app.js';
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
  /** `checks.<id>` policies, as a config file would set them. */
  checks?: Record<string, Record<string, unknown>>;
}): Promise<App> {
  const raw = {
    store: { url: options.storeUrl },
    audit: { categories: options.categories ?? [] },
    connectors: { 'audit-fixture': { failDays: options.failDays ?? [] } },
    checks: options.checks ?? {},
    logLevel: 'silent',
  };
  return openApp({
    config: {
      config: parseConfig(raw, {}),
      baseDir: tempDir('base'),
      file: undefined,
      source: JSON.stringify(raw),
    },
    env: {},
    extraConnectors: [fixtureConnector],
    extraChecks: fixtureChecks,
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

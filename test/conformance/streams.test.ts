import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { parseConfig } from '../../src/config/load.js';
import { builtInConnectors } from '../../src/connectors.js';
import { buildRegistry, type Registry, type StreamInstance } from '../../src/registry.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { canonicalJson, sha256 } from '../../src/store/canonical.js';
import type { CollectedItem } from '../../src/stream.js';
import { DAY, alignDown, type Window } from '../../src/time.js';
import { silentLogger } from '../support/app.js';

/**
 * The contract every shipped stream must keep, run against the sandboxes through the real connectors:
 * keys unique within a window and stable across two runs, every item inside its window and valid against
 * the stream's schema, and criteria and controls known to the catalogue.
 */
const NOW = Date.UTC(2026, 10, 20, 12, 30);
const catalogue = Catalogue.load();

let sandboxes: Sandboxes;
let registry: Registry;
let env: NodeJS.ProcessEnv;

async function collectOnce(
  stream: StreamInstance,
  window: Window,
): Promise<{ items: CollectedItem[]; cursor: unknown }> {
  const connector = registry.connectors.find((entry) => entry.connector.id === stream.connector.id)!;
  const client = await stream.connector.createClient(connector.config, env);
  const items: CollectedItem[] = [];
  const generator = stream.definition.collect(window, undefined, {
    client,
    logger: silentLogger,
    signal: new AbortController().signal,
    acquire: async () => undefined,
    reject: async () => undefined,
  });
  let next = await generator.next();
  while (!next.done) {
    items.push(next.value);
    next = await generator.next();
  }
  return { items, cursor: next.value };
}

/** The UTC day around a planted event of the sandbox, so an events stream has something to yield. */
function dayOf(eventIds: readonly string[]): Window | undefined {
  const record = sandboxes.aws.groundTruth.events.find((event) => eventIds.includes(event.eventID));
  if (!record) return undefined;
  const start = alignDown(Date.parse(record.eventTime), DAY);
  return { start, end: start + DAY };
}

/** A window the stream can be read for at the sandboxes' fixed "now". */
function windowFor(stream: StreamInstance): Window {
  const truth = sandboxes.aws.groundTruth;
  const planted: Record<string, Window | undefined> = {
    'aws-cloudtrail-access-changes': dayOf(truth.accessChanges.map((change) => change.eventId)),
    'aws-cloudtrail-security-events': dayOf(truth.rootLogins),
  };
  const dayAround = (iso: string | undefined) =>
    iso === undefined
      ? undefined
      : { start: alignDown(Date.parse(iso), DAY), end: alignDown(Date.parse(iso), DAY) + DAY };
  planted['okta-lifecycle-events'] = dayAround(
    sandboxes.okta.systemLog.find((event) => event.eventType === 'user.lifecycle.deactivate')?.published,
  );
  planted['google-workspace-admin-events'] = dayAround(
    sandboxes.google.adminLog.find((activity) => activity.events[0]?.name === 'SUSPEND_USER')?.id.time,
  );
  const around = planted[stream.id];
  if (around) return around;
  const end = alignDown(NOW - stream.sourceLagMs, stream.cadenceMs);
  // Events streams: the last three days; snapshots: the
  // latest window (the only one they can read).
  if (stream.definition.kind === 'events') return { start: alignDown(end - 3 * DAY, DAY), end };
  return { start: end - stream.cadenceMs, end };
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 7, now: NOW, days: 30 });
  env = sandboxes.env;
  const config = parseConfig({ connectors: sandboxes.connectors }, env);
  registry = await buildRegistry(config, catalogue);
});

afterAll(async () => {
  await sandboxes?.stop();
});

describe('stream conformance', () => {
  it('covers every stream of every shipped connector', () => {
    const shipped = builtInConnectors
      .flatMap((connector) => connector.streams.map((stream) => stream.id))
      .sort();
    expect(registry.streams.map((stream) => stream.id).sort()).toEqual(shipped);
  });

  for (const connector of builtInConnectors) {
    for (const definition of connector.streams) {
      it(`${definition.id}: keys unique and stable, items in their window, schema valid, ids known`, async () => {
        const stream = registry.stream(definition.id);
        expect(stream.id).not.toMatch(/:/);
        for (const id of stream.criteria)
          expect(catalogue.isCriterion(id), `${stream.id} cites ${id}`).toBe(true);
        for (const id of stream.isoControls)
          expect(catalogue.isControl(id), `${stream.id} cites ${id}`).toBe(true);
        expect(stream.definition.population.length).toBeGreaterThan(20);
        expect(stream.definition.evidenceName).toMatch(/^[A-Za-z0-9_]+$/);

        const window = windowFor(stream);
        const first = await collectOnce(stream, window);
        const second = await collectOnce(stream, window);
        expect(first.items.length, 'the sandbox holds evidence for every stream').toBeGreaterThan(0);
        const keys = first.items.map((item) => item.key);
        expect(new Set(keys).size, 'keys unique within the window').toBe(keys.length);
        for (const item of first.items) {
          expect(item.occurredAt, `${item.key} inside the window`).toBeGreaterThanOrEqual(window.start);
          expect(item.occurredAt, `${item.key} inside the window`).toBeLessThan(window.end);
          const parsed = stream.definition.itemSchema.safeParse(item.payload);
          expect(parsed.success, `${item.key} matches the item schema`).toBe(true);
        }
        const fingerprint = (items: CollectedItem[]) =>
          Object.fromEntries(items.map((item) => [item.key, sha256(canonicalJson(item.payload))]));
        expect(fingerprint(second.items), 'same keys and payloads on a second run').toEqual(
          fingerprint(first.items),
        );
        if (stream.backfillSpanMs !== undefined) {
          // A stream read in long backfill windows must find what its cadence windows find, no more or less.
          expect(stream.backfillSpanMs % stream.cadenceMs, 'backfill span a multiple of the cadence').toBe(0);
          const pieces: CollectedItem[] = [];
          for (let start = window.start; start < window.end; start += stream.cadenceMs)
            pieces.push(...(await collectOnce(stream, { start, end: start + stream.cadenceMs })).items);
          expect(fingerprint(pieces), 'cadence windows add up to the long window').toEqual(
            fingerprint(first.items),
          );
        }
      });
    }
  }
});

import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { REVIEW_DECISIONS_STREAM } from '../../src/artefacts/review-decision-fact.js';
import { openApp, type App } from '../../src/app.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { defineCheck } from '../../src/checks/check.js';
import { codeEntrySchema, declaredCode, SHIPPED_CODE } from '../../src/checks/check-codes.js';
import { validateModuleChecks } from '../../src/checks/check-declaration.js';
import { UsageError } from '../../src/errors.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { FACT_UNREADABLE, judgePeriod } from '../../src/checks/judge-period.js';
import { runBackfill } from '../../src/collection/backfill.js';
import { parseConfig } from '../../src/config/load.js';
import { builtInConnectors } from '../../src/connectors.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { DAY } from '../../src/time.js';
import { tempDir } from '../export/fill-store.js';
import { freshStoreUrl } from '../support/stores.js';

const today = Math.floor(Date.now() / DAY) * DAY;
const period = { start: today - 4 * DAY, end: today - DAY };
// Streams of facts read from registered artefacts (a completed access review) are known too.
const knownStreams = new Set([
  ...builtInConnectors.flatMap((connector) => connector.streams.map((s) => s.id)),
  REVIEW_DECISIONS_STREAM,
]);

// What each shipped check declares of its codes, read by the package for status and kind.
describe('check code declarations', () => {
  it('every shipped code is snake case with a meaning, a known status and kind', () => {
    for (const check of builtInChecks)
      for (const [code, entry] of Object.entries(check.codes)) {
        expect(code, check.id).toMatch(SHIPPED_CODE);
        expect(codeEntrySchema.safeParse(entry).success, `${check.id} ${code}`).toBe(true);
        expect(declaredCode(entry).means.length, `${check.id} ${code}`).toBeGreaterThan(10);
      }
  });

  it('a custom check declaring a code wrong is stopped at load, the field named', () => {
    const check = { ...builtInChecks[0]!, codes: { late: { means: 'late', status: 'pendng' } } };
    expect(() => validateModuleChecks([check], 'acme.js')).toThrow(
      new UsageError(
        `config: modules: acme.js: checks[0] (${check.id}).codes.late.status: Invalid option: expected one of "deviation"|"pending"|"unreadable"`,
      ),
    );
  });
});

// Every shipped check, over facts the real connectors collected from the sandboxes.
describe('check conformance', () => {
  let sandboxes: Sandboxes;
  let app: App;

  beforeAll(async () => {
    sandboxes = await startSandboxes({ seed: 42, now: Date.now(), days: 10 });
    const raw = { store: { url: freshStoreUrl('sqlite') }, connectors: sandboxes.connectors };
    app = await openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: tempDir('conformance'),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      logger: pino({ level: 'silent' }),
    });
    await runBackfill(app, { period, streams: app.registry.streams, inline: true });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await sandboxes?.stop();
  });

  it('every check cites catalogue ids, reads known streams, declares its codes and parses an empty policy', () => {
    const set = buildCheckSet(builtInChecks, {}, Catalogue.load());
    const ids = new Set<string>();
    for (const check of builtInChecks) {
      expect(ids.has(check.id), check.id).toBe(false);
      ids.add(check.id);
      expect(check.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(Number.isInteger(check.version) && check.version >= 1, check.id).toBe(true);
      expect(check.criteria.length, check.id).toBeGreaterThan(0);
      expect(check.streams.length, check.id).toBeGreaterThan(0);
      for (const stream of check.streams)
        expect(knownStreams.has(stream), `${check.id} reads ${stream}`).toBe(true);
      expect(Object.keys(check.codes).length, check.id).toBeGreaterThan(0);
      expect(check.description.length, check.id).toBeGreaterThan(40);
      expect(set.check(check.id).policy).toBeDefined();
    }
  });

  it('every active check is deterministic, gives only its declared codes and reads only its streams', async () => {
    const store = await app.store();
    const collected = new Set(app.registry.streams.map((stream) => stream.id));
    const active = app.checks.active(collected);
    expect(active.length).toBeGreaterThanOrEqual(10);
    let total = 0;
    for (const check of active) {
      const once = await judgePeriod(store, [check], collected, period);
      const twice = await judgePeriod(store, [check], collected, period);
      expect(JSON.stringify(twice.findings), check.id).toBe(JSON.stringify(once.findings));
      for (const finding of once.findings) {
        expect([...Object.keys(check.definition.codes), FACT_UNREADABLE], check.id).toContain(finding.code);
        expect(check.definition.streams, check.id).toContain(finding.stream);
        expect(finding.checkRef).toBe(check.ref);
        expect(finding.keys.length).toBeGreaterThan(0);
        expect(finding.occurredAt).toBeGreaterThanOrEqual(period.start);
      }
      total += once.findings.length;
    }
    expect(total).toBeGreaterThan(0);
  });

  it('a check that reads a stream it does not declare is stopped', async () => {
    const rogue = defineCheck({
      id: 'rogue',
      version: 1,
      title: 'rogue',
      description: 'reads a stream it never declared, which the facts interface refuses',
      criteria: ['CC8.1'],
      isoControls: ['A.8.32'],
      streams: ['github-production-changes'],
      codes: { x: 'x' },
      policy: z.object({}),
      async *judge({ facts, period: judged }) {
        for await (const fact of facts.items('aws-iam-state', judged, z.unknown()))
          yield {
            code: 'x',
            stream: fact.stream,
            keys: [fact.key],
            occurredAt: fact.occurredAt,
            description: '',
          };
      },
    });
    const [instance] = buildCheckSet([rogue], {}, Catalogue.load()).checks;
    await expect(
      judgePeriod(await app.store(), [instance!], new Set(['github-production-changes']), period),
    ).rejects.toThrow('check rogue read stream aws-iam-state, which it does not declare');
  });
});

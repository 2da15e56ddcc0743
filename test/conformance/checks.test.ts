import { describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { builtInConnectors } from '../../src/connectors.js';
import { judge, memoryFacts } from '../tickets/support/facts.js';

/**
 * The contract every shipped check keeps: a stable id and whole version, criteria and controls the
 * catalogue knows, streams that shipped connectors produce, codes in lower snake case with a meaning, a
 * strict policy whose `{}` gives the defaults, and a judge that reads only what it declares.
 */
const catalogue = Catalogue.load();
const shippedStreams = new Set(
  builtInConnectors.flatMap((connector) => connector.streams.map((stream) => stream.id)),
);

describe('check conformance', () => {
  it('ids are unique', () => {
    const ids = builtInChecks.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const check of builtInChecks) {
    it(`${check.id}: ids known, streams shipped, codes described, policy strict with defaults`, async () => {
      expect(check.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(Number.isInteger(check.version) && check.version >= 1).toBe(true);
      for (const id of check.criteria) expect(catalogue.isCriterion(id), id).toBe(true);
      for (const id of check.isoControls) expect(catalogue.isControl(id), id).toBe(true);
      for (const stream of check.streams) expect(shippedStreams.has(stream), stream).toBe(true);
      expect(Object.keys(check.codes).length).toBeGreaterThan(0);
      for (const [code, meaning] of Object.entries(check.codes)) {
        expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
        expect(meaning.length).toBeGreaterThan(20);
      }
      expect(check.policy.safeParse({}).success).toBe(true);
      expect(check.policy.safeParse({ notAPolicyField: true }).success).toBe(false);
      // Nothing collected, nothing found; and a stream it does not declare cannot be read.
      const empty = memoryFacts(
        check.streams,
        Object.fromEntries(check.streams.map((stream) => [stream, []])),
      );
      expect(await judge(check, empty, { start: 0, end: Date.UTC(2026, 0, 1) })).toEqual([]);
    });
  }
});

import canonicalizeModule from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sandbox/seeded-random.js';
import { canonicalJson, sha256 } from '../../src/store/canonical.js';

// The `canonicalize` package is the reference implementation of RFC 8785 we hold ours to.
const reference = canonicalizeModule as unknown as (value: unknown) => string | undefined;

const ALPHABET = [
  'a',
  'Z',
  '0',
  '9',
  ' ',
  '"',
  '\\',
  '\n',
  '\u0001',
  '\u007f',
  'é',
  '€',
  '😀',
  '\u2028',
  '_',
];
const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789.125, Number.MAX_SAFE_INTEGER, 5e-324, -2.5e300];

function generate(next: () => number, depth: number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const word = () =>
    Array.from({ length: Math.floor(next() * 6) }, () => pick(ALPHABET)).join('') +
    (next() < 0.2 ? String(Math.floor(next() * 20)) : '');
  const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 6);
  switch (kind) {
    case 0:
      return word();
    case 1:
      return pick(NUMBERS);
    case 2:
      return pick([true, false, null]);
    case 3:
      return next() < 0.5 ? new Date(Math.floor(next() * 4e12)) : word();
    case 4:
      return Array.from({ length: Math.floor(next() * 5) }, () =>
        next() < 0.1 ? undefined : generate(next, depth + 1),
      );
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 6) }, () => [
          word(),
          next() < 0.1 ? undefined : generate(next, depth + 1),
        ]),
      );
  }
}

describe('canonicalJson', () => {
  it('matches the reference implementation on 5,000 generated values', () => {
    const next = seededRandom(8785); // a failure names a reproducible case
    for (let n = 0; n < 5_000; n += 1) {
      const value = generate(next, 0);
      expect(canonicalJson(value), JSON.stringify(value)).toBe(reference(value));
    }
  });

  it('sorts keys by UTF-16 code units, integer-like keys included', () => {
    expect(canonicalJson({ b: 1, a: { d: [], c: '' }, '10': 0, '9': 0, é: 0, '😀': 0, '\u20ac': 0 })).toBe(
      '{"10":0,"9":0,"a":{"c":"","d":[]},"b":1,"é":0,"€":0,"😀":0}',
    );
  });

  it('rejects what JSON cannot carry, naming it', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('NaN is not a JSON number');
    expect(() => canonicalJson([Infinity])).toThrow('Infinity is not a JSON number');
    expect(() => canonicalJson({ s: 'a\ud800b' })).toThrow('lone surrogate');
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow('lone surrogate');
    const loop: Record<string, unknown> = {};
    loop.self = { loop };
    expect(() => canonicalJson(loop)).toThrow('circular reference');
    expect(() => canonicalJson(undefined)).toThrow('undefined is not JSON');
  });

  it('hashes the canonical text with SHA-256', () => {
    expect(sha256('{"a":1}')).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

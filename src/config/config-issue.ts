import type { z } from 'zod';
import { formatPath, valueAt } from './format-issue.js';

/**
 * Strings that came from `${VAR}` in the config: often secrets (a webhook URL carries its token), so a
 * config error names the field and never echoes them. Filled by the loader as it interpolates.
 */
const fromEnvironment = new Set<string>();

export function rememberInterpolated(value: string): void {
  fromEnvironment.add(value);
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a section of key: value lines',
  array: 'a list',
  record: 'a section of key: value lines',
};

function got(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return fromEnvironment.has(value) ? 'a value from the environment (not shown)' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a section';
  return typeof value;
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  valueType?: unknown;
  element?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The field names a zod object schema accepts at `path`, where the schema says (wrappers unwrapped). */
export function knownFields(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let def = defOf(schema);
  let index = 0;
  for (let guard = 0; def && guard < 100; guard++) {
    if (def.type === 'object' && def.shape) {
      if (index === path.length) return Object.keys(def.shape);
      def = defOf(def.shape[String(path[index++])]);
    } else if (def.innerType !== undefined) def = defOf(def.innerType);
    else if (def.type === 'pipe') def = defOf(def.in);
    else if (def.type === 'record' && index < path.length) {
      index++;
      def = defOf(def.valueType);
    } else if (def.type === 'array' && typeof path[index] === 'number') {
      index++;
      def = defOf(def.element);
    } else return undefined;
  }
  return undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known field a typo most likely meant: two edits at most, or one case away. */
export function closest(typo: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === typo.toLowerCase() ? 0 : distance(typo, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function typeWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

/**
 * A config the schema refused, as one line: each problem names its field and what was expected
 * (`config: connectors.github.orgg: unknown field, did you mean "org"?`), problems joined by "; ".
 * `schema` lets an unknown field be answered with the known ones.
 */
export function formatConfigIssues(error: z.ZodError, input: unknown, prefix = '', schema?: unknown): string {
  const problems: string[] = [];
  const answered = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownFields(schema, issue.path) ?? [];
    for (const key of issue.keys) {
      const field = formatPath([...issue.path, key], prefix);
      const meant = closest(key, known);
      if (meant !== undefined) {
        answered.add(formatPath([...issue.path, meant], prefix));
        problems.push(`${field}: unknown field, did you mean "${meant}"?`);
      } else if (known.length > 0 && known.length <= 30)
        problems.push(`${field}: unknown field (expected one of: ${known.join(', ')})`);
      else problems.push(`${field}: unknown field`);
    }
  }
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const field = formatPath(issue.path, prefix);
    const value = valueAt(input, issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
      // A missing field whose typo was already named above is one mistake, not two.
      if (value === undefined && answered.has(field)) continue;
      message =
        value === undefined
          ? `missing: expected ${typeWords(issue.expected)}`
          : `expected ${typeWords(issue.expected)}, got ${got(value)}`;
    } else {
      message = message.replace(/^(Invalid (input|option)|Too (small|big)): /, '');
      if (value !== undefined && !/, got /.test(message)) message += `, got ${got(value)}`;
    }
    problems.push(`${field}: ${message}`);
  }
  return `config: ${problems.join('; ')}`;
}

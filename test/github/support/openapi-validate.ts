import { readFileSync } from 'node:fs';

/** An OpenAPI 3.0 schema object, as far as GitHub's description uses it. */
interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

interface Excerpt {
  source: string;
  responses: Record<string, Schema>;
  components: { schemas: Record<string, Schema> };
}

export const excerpt = JSON.parse(
  readFileSync(new URL('../../fixtures/github/openapi-excerpt.json', import.meta.url), 'utf8'),
) as Excerpt;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Problems of `value` against `schema` (empty when it conforms): type, nullable, enum, required,
 * properties, items, oneOf/anyOf (at least one branch), allOf. Formats are not checked.
 */
export function validate(value: unknown, schema: Schema, path = '$'): string[] {
  if (schema.$ref) {
    const target = excerpt.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) return [`${path}: unknown $ref ${schema.$ref}`];
    return validate(value, { ...target, nullable: schema.nullable ?? target.nullable }, path);
  }
  if (value === null)
    return schema.nullable || (schema.type === undefined && !schema.allOf)
      ? []
      : [`${path}: null is not allowed`];
  const problems: string[] = [];
  for (const part of schema.allOf ?? []) problems.push(...validate(value, part, path));
  for (const options of [schema.oneOf, schema.anyOf]) {
    if (!options) continue;
    const results = options.map((option) => validate(value, option, path));
    if (!results.some((result) => result.length === 0))
      problems.push(`${path}: matches none of ${options.length} alternatives (first: ${results[0]?.[0]})`);
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  const actual = typeOf(value);
  if (schema.type && !(schema.type === actual || (schema.type === 'number' && actual === 'integer')))
    return [...problems, `${path}: expected ${schema.type}, got ${actual}`];
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (!(name in record)) problems.push(`${path}.${name}: required`);
    for (const [name, child] of Object.entries(record)) {
      const property = schema.properties?.[name];
      if (property) problems.push(...validate(child, property, `${path}.${name}`));
      else if (typeof schema.additionalProperties === 'object')
        problems.push(...validate(child, schema.additionalProperties, `${path}.${name}`));
    }
  }
  if (actual === 'array' && schema.items)
    (value as unknown[]).forEach((item, index) =>
      problems.push(...validate(item, schema.items as Schema, `${path}[${index}]`)),
    );
  return problems;
}

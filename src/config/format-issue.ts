import type { z } from 'zod';

/** Formats a zod issue path as `connectors.github.repos[2]`. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let text = prefix;
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || '(root)';
}

/** One line per problem: `config: connectors.github.repos[2]: expected "owner/name", got "foo"`. */
export function formatZodError(error: z.ZodError, input: unknown, label: string, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const got = describeValue(valueAt(input, issue.path));
      const message = issue.message.startsWith('Invalid input: expected')
        ? issue.message.replace('Invalid input: ', '')
        : issue.message;
      const suffix =
        got !== undefined && !/, got /.test(message) && !message.includes('received') ? `, got ${got}` : '';
      return `${label}: ${formatPath(issue.path, prefix)}: ${message}${suffix}`;
    })
    .join('\n');
}

/** The value at a zod issue's path in the input that failed, if there is one. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function describeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return undefined;
}

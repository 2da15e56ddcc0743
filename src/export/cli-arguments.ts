import type { z } from 'zod';
import { UsageError } from '../errors.js';

const toFlag = (name: string) => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * Validates command-line arguments with zod; the first problem becomes one line naming the argument and
 * what was expected (exit 2). `positional` names arguments that have no flag (FILE, DIR).
 */
export function parseArguments<T>(
  schema: z.ZodType<T>,
  input: unknown,
  positional: readonly string[] = [],
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? 'arguments');
  const label = positional.includes(name) ? name.toUpperCase() : toFlag(name);
  const received = (input as Record<string, unknown>)[name];
  const got = received === undefined ? 'nothing' : `"${String(received)}"`;
  throw new UsageError(`${label}: ${issue.message}, got ${got}`);
}

import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { AnyCheck } from './check.js';
import { parseCodeEntry } from './check-codes.js';

// A code is a name the register shows and a config or a filter may name: no spaces, no punctuation.
const codeName = /^[A-Za-z0-9_]+$/;

/**
 * The declaration of a check loaded through `modules:`, checked at load: a custom check is not compiled
 * with ours, so a code declared `{ status: 'pendng' }` would otherwise count silently as a deviation.
 */
const checkDeclaration = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected lower-case words joined by dashes'),
  version: z.number().int().min(1, 'expected a whole number from 1'),
  title: z.string().min(1),
  description: z.string().min(1),
  criteria: z.array(z.string()).min(1, 'expected at least one criterion'),
  isoControls: z.array(z.string()),
  streams: z.array(z.string()).min(1, 'expected at least one stream'),
  codes: z.record(
    z.string().regex(codeName, 'expected a code of letters, digits and underscores'),
    z.unknown().superRefine((entry, context) => {
      const parsed = parseCodeEntry(entry);
      if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue({ ...issue });
    }),
  ),
  // Duck-typed: a module may bring its own copy of zod.
  policy: z.custom<z.ZodType>(
    (value) => typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function',
    'expected a zod schema',
  ),
  judge: z.custom<AnyCheck['judge']>((value) => typeof value === 'function', 'expected a function'),
});

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

/** The module's checks as declared, or a UsageError naming the first field that is wrong (exit 2). */
export function validateModuleChecks(checks: unknown, modulePath: string): AnyCheck[] {
  const parsed = z.array(z.unknown()).safeParse(checks);
  if (!parsed.success)
    throw new UsageError(`config: modules: ${modulePath}: checks: expected an array of checks`);
  parsed.data.forEach((check, index) => {
    const result = checkDeclaration.safeParse(check);
    if (result.success) return;
    const issue = result.error.issues[0];
    const id = (check as { id?: unknown } | null)?.id;
    const named = typeof id === 'string' ? ` (${id})` : '';
    throw new UsageError(
      `config: modules: ${modulePath}: checks[${index}]${named}${pathText(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`,
    );
  });
  return parsed.data as AnyCheck[];
}

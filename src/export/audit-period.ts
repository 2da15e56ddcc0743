import { z } from 'zod';
import { parsePeriod, parsePeriodArgs } from '../cli/args.js';
import { UsageError } from '../errors.js';
import { DAY, type Window } from '../time.js';

const dayArgument = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** `--period` or `--from`/`--to` as zod validates them; spread into each command's argument schema. */
export const auditPeriodArguments = {
  period: z
    .string()
    .regex(/^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/, 'expected 2026, 2026-H1, 2026-Q2 or 2026-04')
    .optional(),
  from: dayArgument.optional(),
  to: dayArgument.optional(),
};

/** The audit period of a package: a half-open UTC window and the label used in every file name. */
export interface AuditPeriod extends Window {
  readonly label: string;
}

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** `--from 2026-04-01 --to 2026-06-30` is labelled `2026-04-01_2026-06-30` (the last day, inclusive). */
export function labelFromTo(window: Window): string {
  return `${day(window.start)}_${day(window.end - DAY)}`;
}

/** Either `--period 2026-Q2` or `--from`/`--to`, never both, never neither. */
export function resolveAuditPeriod(options: { period?: string; from?: string; to?: string }): AuditPeriod {
  if (options.period !== undefined) {
    if (options.from !== undefined || options.to !== undefined)
      throw new UsageError('--period: give either --period or --from/--to, not both');
    return parsePeriod(options.period);
  }
  if (options.from === undefined && options.to === undefined)
    throw new UsageError('--period: expected --period 2026-Q2 or --from YYYY-MM-DD --to YYYY-MM-DD');
  const window = parsePeriodArgs(options.from, options.to);
  return { ...window, label: labelFromTo(window) };
}

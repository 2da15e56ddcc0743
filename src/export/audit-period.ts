import { parsePeriod, parsePeriodArgs } from '../cli/args.js';
import { UsageError } from '../errors.js';
import { DAY, type Window } from '../time.js';

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

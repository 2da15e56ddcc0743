import { UsageError } from '../errors.js';
import { DAY, parseDay, type Window } from '../time.js';

/** `--from` and `--to` as a half-open UTC window: --to is inclusive as a day, so the window ends the next midnight. */
export function parsePeriodArgs(from: string | undefined, to: string | undefined): Window {
  if (!from) throw new UsageError('--from: expected a date as YYYY-MM-DD');
  if (!to) throw new UsageError('--to: expected a date as YYYY-MM-DD');
  const start = parseDay(from);
  if (start === undefined) throw new UsageError(`--from: expected a date as YYYY-MM-DD, got "${from}"`);
  const last = parseDay(to);
  if (last === undefined) throw new UsageError(`--to: expected a date as YYYY-MM-DD, got "${to}"`);
  if (last < start) throw new UsageError(`--to (${to}) is before --from (${from})`);
  return { start, end: last + DAY };
}

/** `2026-Q2`, `2026-H1`, `2026`, or `2026-04` as a half-open UTC window. */
export function parsePeriod(text: string): Window & { label: string } {
  const match = /^(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?$/.exec(text);
  if (!match) throw new UsageError(`--period: expected 2026, 2026-H1, 2026-Q2 or 2026-04, got "${text}"`);
  const year = Number(match[1]);
  const part = match[2];
  let startMonth = 0;
  let months = 12;
  if (part?.startsWith('Q')) {
    startMonth = (Number(part.slice(1)) - 1) * 3;
    months = 3;
  } else if (part?.startsWith('H')) {
    startMonth = (Number(part.slice(1)) - 1) * 6;
    months = 6;
  } else if (part) {
    startMonth = Number(part) - 1;
    months = 1;
    if (startMonth < 0 || startMonth > 11)
      throw new UsageError(`--period: month must be 01-12, got "${part}"`);
  }
  return { start: Date.UTC(year, startMonth, 1), end: Date.UTC(year, startMonth + months, 1), label: text };
}

export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--period` or `--from`/`--to`, as the commands that judge a period all offer them. */
export const PERIOD_OPTION = [
  '--period <period>',
  'audit period: 2026-Q2, 2026-H1, 2026 or 2026-04',
] as const;
export const FROM_OPTION = ['--from <YYYY-MM-DD>', 'first day of the period (UTC), with --to'] as const;
export const TO_OPTION = ['--to <YYYY-MM-DD>', 'last day of the period, inclusive (UTC)'] as const;

/**
 * A period that starts after now holds nothing to collect or judge: an empty package or a continuity
 * report "complete" over nothing would look like evidence, so it is a usage error naming the flag.
 */
export function refuseFuturePeriod(period: Window, flag: '--period' | '--from', now = Date.now()): void {
  if (period.start <= now) return;
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  throw new UsageError(
    `${flag}: the period starts ${day(period.start)}, in the future (today is ${day(now)} UTC); expected a period that has begun`,
  );
}

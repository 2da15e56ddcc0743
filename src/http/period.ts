import { z } from 'zod';
import type { EvidenceConfig } from '../config/schema.js';
import { DAY, parseDay, type Window } from '../time.js';

/** Without audit.start, the page shows the last 90 days: the span LookupEvents can still repair. */
export const DEFAULT_LOOKBACK_DAYS = 90;
/** Longer periods make the report slow and the bars unreadable; a SOC 2 Type II period is at most 12 months. */
export const MAX_PERIOD_DAYS = 731;

/** audit.start (or 90 days ago) to now. */
export function defaultPeriod(config: EvidenceConfig, now: number): Window {
  const auditStart = config.audit.start ? parseDay(config.audit.start) : undefined;
  const start = auditStart !== undefined && auditStart < now ? auditStart : now - DEFAULT_LOOKBACK_DAYS * DAY;
  return { start, end: now };
}

const day = z
  .string()
  .refine((text) => parseDay(text) !== undefined, { message: 'expected a calendar day as YYYY-MM-DD' });

const querySchema = z
  .object({ from: day.optional(), to: day.optional() })
  // Unknown parameters are ignored: a browser or proxy may add its own.
  .loose();

export type PeriodResult = { ok: true; period: Window } | { ok: false; message: string };

/**
 * `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both UTC days, `to` inclusive) over the default period. The end never
 * passes now: the future holds no evidence to show.
 */
export function periodFromQuery(query: unknown, config: EvidenceConfig, now: number): PeriodResult {
  const parsed = querySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'query';
    return { ok: false, message: `invalid ${where}: ${issue?.message ?? 'malformed query'}` };
  }
  const fallback = defaultPeriod(config, now);
  const start = parsed.data.from ? parseDay(parsed.data.from)! : fallback.start;
  const end = Math.min(parsed.data.to ? parseDay(parsed.data.to)! + DAY : fallback.end, now);
  if (start >= now) return { ok: false, message: `invalid from: ${parsed.data.from} is not in the past` };
  if (end <= start) return { ok: false, message: 'invalid period: "to" must not be earlier than "from"' };
  if (end - start > MAX_PERIOD_DAYS * DAY)
    return { ok: false, message: `invalid period: at most ${MAX_PERIOD_DAYS} days can be shown at once` };
  return { ok: true, period: { start, end } };
}

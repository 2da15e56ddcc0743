import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './open-store.js';

/**
 * Many integers come back from the database as one comma-separated text aggregate rather than a row each:
 * building a row object per value cost more than the rest of the report (a year of hourly runs for 20
 * streams is 175,000 rows), while the database concatenates and V8 parses a number list many times faster.
 * Order inside the aggregate is not promised by either database, so readers check it and sort if needed.
 */
export function intListAgg(dialect: Dialect, value: RawBuilder<unknown>): RawBuilder<string | null> {
  return dialect === 'postgres' ? sql`string_agg((${value})::text, ',')` : sql`group_concat(${value})`;
}

/** The numbers of an `intListAgg` text (null when the aggregate saw no rows). */
export function parseIntList(text: string | null | undefined): number[] {
  return text ? (JSON.parse(`[${text}]`) as number[]) : [];
}

/** Whether every value is larger than the one before. */
export function ascending(values: readonly number[]): boolean {
  for (let index = 1; index < values.length; index += 1)
    if (values[index]! <= values[index - 1]!) return false;
  return true;
}

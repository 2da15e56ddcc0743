/**
 * The sandbox site's time zone: India has no summer time and a half-hour offset, so a connector that
 * sends UTC wall-clock times in JQL, or drops the minutes of the offset, misses issues.
 */
export const SITE_TIME_ZONE = 'Asia/Kolkata';
const OFFSET_MINUTES = 330;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as Jira writes it: "2026-01-01T15:30:00.000+0530". */
export function jiraTime(at: number): string {
  const local = new Date(at + OFFSET_MINUTES * 60_000);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}+${pad(Math.floor(OFFSET_MINUTES / 60))}${pad(OFFSET_MINUTES % 60)}`
  );
}

/** A JQL date ("yyyy-MM-dd HH:mm" or "yyyy/MM/dd HH:mm" or a day) read in the site's zone; NaN if not one. */
export function parseJqlDate(text: string): number {
  const match = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!match) return Number.NaN;
  const [, y, m, d, hh, mm] = match;
  return (
    Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0)) - OFFSET_MINUTES * 60_000
  );
}

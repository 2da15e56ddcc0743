import type { Window } from '../../src/time.js';
import type { JiraConfig } from './config.js';

const MINUTE = 60_000;
/**
 * JQL dates have minute precision and are read in the account's time zone; a wall-clock minute is
 * ambiguous for an hour when summer time ends. The query asks for an hour and a minute more on each side
 * and the stream keeps the issues whose `updated` lies in the window.
 */
export const QUERY_MARGIN_MS = 61 * MINUTE;

/** "yyyy-MM-dd HH:mm" of an instant in a time zone, as JQL takes it. */
export function jqlDate(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The scope of the configured projects and filter, for the window widened by the margin. */
export function windowJql(config: JiraConfig, window: Window, timeZone: string): string {
  const scope: string[] = [];
  if (config.projects) scope.push(`project in (${config.projects.map(quoted).join(', ')})`);
  if (config.jql) scope.push(`(${config.jql})`);
  const from = Math.floor((window.start - QUERY_MARGIN_MS) / MINUTE) * MINUTE;
  const to = Math.ceil((window.end + QUERY_MARGIN_MS) / MINUTE) * MINUTE;
  return (
    [
      ...scope,
      `updated >= ${quoted(jqlDate(from, timeZone))}`,
      `updated < ${quoted(jqlDate(to, timeZone))}`,
    ].join(' AND ') + ' ORDER BY updated ASC, key ASC'
  );
}

/** Jira writes offsets without a colon ("+0530"); ISO 8601 parsers want "+05:30". */
export function jiraInstant(text: string): number {
  return Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

export function isoOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const at = jiraInstant(text);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

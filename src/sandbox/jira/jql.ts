import { parseJqlDate } from './site-time.js';

/** The part of JQL the sandbox understands: project scope and an `updated` range. */
export interface ParsedJql {
  readonly projects: readonly string[] | undefined;
  readonly from: number;
  readonly to: number;
  readonly toInclusive: boolean;
}

/** Parses the connector's query; a string that is no JQL the sandbox knows gives Jira's 400 message. */
export function parseJql(jql: string): ParsedJql | { error: string } {
  const projectList = /project\s+in\s*\(([^)]*)\)/i.exec(jql)?.[1];
  const projectOne = /project\s*=\s*"?([A-Za-z0-9_]+)"?/i.exec(jql)?.[1];
  const projects = projectList
    ? projectList.split(',').map((entry) => entry.trim().replace(/^"|"$/g, ''))
    : projectOne
      ? [projectOne]
      : undefined;
  const fromText = /updated\s*>=\s*"([^"]*)"/i.exec(jql)?.[1];
  const toMatch = /updated\s*(<=?)\s*"([^"]*)"/i.exec(jql.replace(/updated\s*>=/gi, 'UPDATED_FROM'));
  const from = fromText === undefined ? Number.NEGATIVE_INFINITY : parseJqlDate(fromText);
  const to = toMatch?.[2] === undefined ? Number.POSITIVE_INFINITY : parseJqlDate(toMatch[2]);
  for (const [text, value] of [
    [fromText, from],
    [toMatch?.[2], to],
  ] as const) {
    if (text !== undefined && Number.isNaN(value))
      return {
        error: `Date value '${text}' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
      };
  }
  return { projects, from, to, toInclusive: toMatch?.[1] === '<=' };
}

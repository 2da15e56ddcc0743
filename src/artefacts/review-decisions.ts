import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { readTable, TableFileError } from '../tables/read-table.js';
import { DAY, parseDay, type Window } from '../time.js';
import type { ReviewDecision } from './review-decision-fact.js';
import {
  REVIEW_COLUMNS,
  REVIEW_DECISIONS,
  REVIEW_SHEET,
  UNLINKED,
  type ReviewColumn,
} from './review-columns.js';

const required = (what: string) => z.string().min(1, `expected ${what}`);

/** A filled-in row: every account reviewed, by someone, on a day inside the review's reach. */
function rowSchema(period: Window, today: number) {
  return z.object({
    system: required('the system the account is in'),
    account: required('the account id'),
    person: z.string(),
    decision: z
      .string()
      .transform((text) => text.trim().toLowerCase())
      .pipe(z.enum(REVIEW_DECISIONS, { error: 'expected keep or revoke' })),
    reviewer: required('who reviewed the account'),
    reviewedOn: z
      .string()
      // A date typed into a number-formatted Excel cell arrives as its serial day (1900 system).
      .transform((text) =>
        /^\d{5}$/.test(text.trim())
          ? new Date((Number(text.trim()) - 25_569) * DAY).toISOString().slice(0, 10)
          : text,
      )
      .refine((text) => parseDay(text) !== undefined, 'expected the review date as YYYY-MM-DD')
      .refine(
        (text) => (parseDay(text) ?? 0) >= period.start,
        `expected a date on or after ${new Date(period.start).toISOString().slice(0, 10)} (the period's first day)`,
      )
      .refine((text) => (parseDay(text) ?? 0) < today + DAY, 'expected a date no later than today'),
    comment: z.string(),
  });
}

const columnOf = (field: PropertyKey): string => REVIEW_COLUMNS[field as ReviewColumn] ?? String(field);

/**
 * Reads a completed access review workbook (XLSX, or the CSV beside it) and validates every row; the first
 * bad cell stops the registration with its row and column named (exit 2), so a half-valid review never
 * counts as done.
 */
export async function readReviewDecisions(input: {
  file: string;
  period: Window & { label: string };
  sha256: string;
  now: number;
}): Promise<ReviewDecision[]> {
  const name = path.basename(input.file);
  const fields = Object.keys(REVIEW_COLUMNS) as ReviewColumn[];
  const wanted = ['system', 'account', 'person', 'decision', 'reviewer', 'reviewedOn', 'comment'] as const;
  let table;
  try {
    table = await readTable(input.file, {
      pick: (headers) => headers.includes(REVIEW_COLUMNS.decision),
      missing: `has no "${REVIEW_SHEET}" sheet with a "${REVIEW_COLUMNS.decision}" column`,
    });
  } catch (error) {
    if (error instanceof TableFileError) throw new UsageError(`FILE: ${error.message}`);
    throw error;
  }
  const index = new Map(fields.map((field) => [field, table.headers.indexOf(REVIEW_COLUMNS[field])]));
  const absent = wanted
    .filter((field) => index.get(field) === -1)
    .map((field) => `"${REVIEW_COLUMNS[field]}"`);
  if (absent.length > 0)
    throw new UsageError(`FILE: ${name} is not an access review workbook: no ${absent.join(', ')} column`);
  if (table.rows.length === 0) throw new UsageError(`FILE: ${name} lists no accounts`);
  const schema = rowSchema(input.period, input.now);
  const seen = new Map<string, number>();
  return table.rows.map(({ row, cells }) => {
    const raw = Object.fromEntries(wanted.map((field) => [field, cells[index.get(field)!] ?? '']));
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path[0] ?? 'decision';
      const got = raw[field as keyof typeof raw] ?? '';
      throw new UsageError(
        `FILE: ${name} row ${row}, column "${columnOf(field)}": ${issue.message}, got ${got === '' ? 'nothing' : `"${got}"`}`,
      );
    }
    const data = parsed.data;
    const key = `${data.system}\u0000${data.account}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new UsageError(
        `FILE: ${name} row ${row}: ${data.system} account ${data.account} is already decided on row ${earlier}`,
      );
    seen.set(key, row);
    return {
      period: input.period.label,
      system: data.system,
      account: data.account,
      person: data.person === '' || data.person === UNLINKED ? null : data.person,
      decision: data.decision,
      reviewer: data.reviewer,
      reviewedOn: data.reviewedOn,
      comment: data.comment === '' ? null : data.comment,
      workbookSha256: input.sha256,
      workbookRow: row,
    };
  });
}

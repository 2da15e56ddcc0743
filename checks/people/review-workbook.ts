import path from 'node:path';
import {
  REVIEW_COLUMNS,
  REVIEW_HEADERS,
  REVIEW_SHEET,
  UNLINKED,
} from '../../src/artefacts/review-columns.js';
import type { ColumnKind } from '../../src/export/column-kind.js';
import { evidenceFileName, toEvidenceName } from '../../src/export/naming.js';
import { openTableFiles } from '../../src/export/table-files.js';
import type { ExtraSheet } from '../../src/export/xlsx-extra-sheet.js';
import type { Window } from '../../src/time.js';
import type { ReviewAccount } from './review-accounts.js';

/** How the files are named: the access-review artefact type's prefix and evidence name. */
export interface ReviewNaming {
  readonly namePrefix: string;
  readonly evidenceName: string;
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
}

export interface ReviewSystemFile {
  readonly system: string;
  readonly accounts: number;
  readonly unlinked: number;
  readonly withFindings: number;
  readonly xlsx: string;
  readonly csv: string;
}

const KINDS: (ColumnKind | undefined)[] = REVIEW_HEADERS.map((header) =>
  header === REVIEW_COLUMNS.findings ? 'findings' : header === REVIEW_COLUMNS.lastActivity ? 'date' : 'text',
);
const SUMMARY_HEADERS = ['System', 'Accounts', 'Unlinked', 'With Findings', 'Workbook'];

const mfaText = (mfa: boolean | null) => (mfa === null ? 'not collected' : mfa ? 'yes' : 'no');

/**
 * The quarterly access review: one workbook (and CSV) per system listing every account active in the
 * period, with empty reviewer columns, each with a Summary sheet; and the summary on its own.
 */
export async function writeReviewWorkbooks(input: {
  accounts: readonly ReviewAccount[];
  period: Window & { label: string };
  naming: ReviewNaming;
  checks: readonly { id: string; version: number }[];
  out: string;
  writtenAt: number;
}): Promise<{ systems: ReviewSystemFile[]; summary: { xlsx: string; csv: string } }> {
  const { naming, period } = input;
  const fileName = (suffix: string, ext: string) =>
    evidenceFileName(naming.namePrefix, `${naming.evidenceName}_${suffix}`, period.label, ext);
  const systems = [...new Set(input.accounts.map((entry) => entry.account.system))].sort();
  const files: ReviewSystemFile[] = systems.map((system) => {
    const mine = input.accounts.filter((entry) => entry.account.system === system);
    const suffix = toEvidenceName(system);
    return {
      system,
      accounts: mine.length,
      unlinked: mine.filter((entry) => entry.account.person === null).length,
      withFindings: mine.filter((entry) => entry.findings.length > 0).length,
      xlsx: fileName(suffix, 'xlsx'),
      csv: fileName(suffix, 'csv'),
    };
  });
  const summaryRows = files.map((file) => [
    file.system,
    file.accounts,
    file.unlinked,
    file.withFindings,
    file.xlsx,
  ]);
  const summarySheet: ExtraSheet = { name: 'Summary', headers: SUMMARY_HEADERS, rows: summaryRows };
  const about = (purpose: string) => ({
    purpose,
    criteria: naming.criteria,
    isoControls: naming.isoControls,
    period,
    checks: input.checks,
    writtenAt: input.writtenAt,
    notes: [
      `Reviewers: fill ${REVIEW_COLUMNS.decision} (keep or revoke), ${REVIEW_COLUMNS.reviewer}, ${REVIEW_COLUMNS.reviewedOn} (YYYY-MM-DD) and ${REVIEW_COLUMNS.comment} on every row.`,
      `Register the completed file with: evidence-worker artefacts add FILE --type access-review --period ${period.label}`,
      'Every revoke decision is then checked: the account must be gone within the SLA (access-review-revocation).',
    ],
  });
  for (const file of files) {
    const table = openTableFiles({
      csvPath: path.join(input.out, file.csv),
      xlsxPath: path.join(input.out, file.xlsx),
      sheetName: REVIEW_SHEET,
      headers: REVIEW_HEADERS,
      kinds: KINDS,
      frozenColumns: 2,
      about: about(
        `Every ${file.system} account that held access in ${period.label}, for the quarterly access review.`,
      ),
      extraSheets: [summarySheet],
    });
    for (const { account, roles, findings } of input.accounts.filter(
      (entry) => entry.account.system === file.system,
    ))
      await table.addRow([
        account.system,
        account.accountId,
        account.person ?? UNLINKED,
        account.linkedBy ?? '',
        account.status ?? '',
        roles,
        mfaText(account.mfa),
        account.lastLogin ?? '',
        findings.join('\n'),
        '',
        '',
        '',
        '',
      ]);
    await table.close();
  }
  const summary = { xlsx: fileName('Summary', 'xlsx'), csv: fileName('Summary', 'csv') };
  const table = openTableFiles({
    csvPath: path.join(input.out, summary.csv),
    xlsxPath: path.join(input.out, summary.xlsx),
    sheetName: 'Summary',
    headers: SUMMARY_HEADERS,
    about: about(
      `Accounts to review in ${period.label} per system: how many, how many link to no person, how many carry findings.`,
    ),
  });
  for (const row of summaryRows) await table.addRow(row);
  await table.close();
  return { systems: files, summary };
}

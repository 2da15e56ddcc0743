import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { App } from '../app.js';
import { addArtefact } from '../artefacts/add-artefact.js';
import { REVIEW_COLUMNS, REVIEW_SHEET } from '../artefacts/review-columns.js';
import { parsePeriod } from '../cli/args.js';
import { writeAccessReview } from '../people-review/write-access-review.js';
import { ORPHAN_IAM_USER } from '../sandbox/aws/people-iam.js';
import { LATE_GITHUB_LEAVER, type Company, type Person } from '../sandbox/company/index.js';
import type { Window } from '../time.js';

/** A revoke the demo's reviewer decided, and why. */
export interface DemoRevoke {
  readonly system: string;
  readonly account: string;
  readonly why: string;
}

/** The quarterly access review the demo wrote, had reviewed and registered before the package. */
export interface DemoAccessReview {
  readonly period: Window & { readonly label: string };
  /** Where the written and the reviewed workbooks are (beside the package, never in it). */
  readonly dir: string;
  readonly reviewer: string;
  readonly reviewedOn: string;
  readonly accounts: number;
  /** Per system: its reviewed workbook and the name the register filed it under. */
  readonly systems: readonly { system: string; accounts: number; workbook: string; registeredAs: string }[];
  readonly decisions: number;
  readonly revokes: readonly DemoRevoke[];
}

/** The UTC calendar quarter an instant falls in, as `artefacts add --period` takes it. */
function quarterOf(at: number): Window & { label: string } {
  const date = new Date(at);
  return parsePeriod(`${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`);
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

interface PlantedRevoke extends Omit<DemoRevoke, 'account'> {
  readonly match: (account: string) => boolean;
}

/**
 * The revokes a reviewer of this company would decide: the orphan IAM user nobody answers for (the sandbox
 * never removes it) and the GitHub membership of the leaver whose removal the sandbox makes three days
 * after she leaves, inside the review SLA.
 */
function plantedRevokes(leaver: Person): PlantedRevoke[] {
  return [
    {
      system: 'AWS IAM',
      match: (id) => id.endsWith(`/${ORPHAN_IAM_USER}`),
      why: 'linked to no person: nobody answers for it',
    },
    {
      system: 'GitHub',
      match: (id) => id === leaver.githubLogin,
      why: `${leaver.name} leaves the company`,
    },
  ];
}

/** Fills every row as the reviewer would: keep, except the planted revokes. Returns the revokes it decided. */
async function review(
  source: string,
  target: string,
  system: string,
  revokes: readonly PlantedRevoke[],
  signed: { reviewer: string; on: number },
): Promise<DemoRevoke[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(source);
  const sheet = workbook.getWorksheet(REVIEW_SHEET);
  if (!sheet) throw new Error(`${source}: no "${REVIEW_SHEET}" sheet`);
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const cell = (row: ExcelJS.Row, column: string) => row.getCell(headers.indexOf(column));
  const revoked: DemoRevoke[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const account = String(cell(row, REVIEW_COLUMNS.account).value);
    const revoke = revokes.find((entry) => entry.system === system && entry.match(account));
    if (revoke) revoked.push({ system, account, why: revoke.why });
    cell(row, REVIEW_COLUMNS.decision).value = revoke ? 'revoke' : 'keep';
    cell(row, REVIEW_COLUMNS.reviewer).value = signed.reviewer;
    // Typed into Excel, a date is a date cell: the reader takes it as the reviewer typed it.
    cell(row, REVIEW_COLUMNS.reviewedOn).value = new Date(signed.on);
    cell(row, REVIEW_COLUMNS.comment).value = revoke ? revoke.why : '';
  });
  await workbook.xlsx.writeFile(target);
  return revoked;
}

/**
 * The quarterly access review round trip, as a company runs it: `access-review` writes the workbooks of
 * the quarter the review falls in, the reviewer (the company's first admin) signs every row on the day
 * the late GitHub leaver leaves, and `artefacts add` registers each reviewed workbook, so the register
 * counts the quarter as done and each revoke becomes an expectation the revocation check judges.
 */
export async function runAccessReview(
  app: App,
  input: { company: Company; period: Window; dir: string },
): Promise<DemoAccessReview> {
  const { company } = input;
  const leaver = company.people.find((person) => person.firstName.toLowerCase() === LATE_GITHUB_LEAVER.first);
  if (!leaver) throw new Error('the demo company has no late GitHub leaver');
  const revokes = plantedRevokes(leaver);
  // Signed on her last day, inside the demo's period, so the check judges the deadlines there.
  const on = Math.max(leaver.endDate ?? input.period.start, input.period.start);
  const quarter = quarterOf(on);
  const admin = company.people.find((person) => person.admin) ?? company.people[0]!;
  const written = path.join(input.dir, 'written');
  const reviewed = path.join(input.dir, 'reviewed');
  await rm(input.dir, { recursive: true, force: true });
  await mkdir(reviewed, { recursive: true });
  const files = await writeAccessReview(app, { period: quarter, out: written });
  const systems: DemoAccessReview['systems'][number][] = [];
  const revoked: DemoRevoke[] = [];
  let decisions = 0;
  for (const file of files.systems) {
    const workbook = path.join(reviewed, file.xlsx);
    const found = await review(path.join(written, file.xlsx), workbook, file.system, revokes, {
      reviewer: admin.name,
      on,
    });
    revoked.push(...found);
    const added = await addArtefact(app, {
      file: workbook,
      type: 'access-review',
      period: quarter,
      owner: admin.name,
    });
    decisions += added.facts?.count ?? 0;
    systems.push({
      system: file.system,
      accounts: file.accounts,
      workbook,
      registeredAs: added.artefact.file_name,
    });
  }
  return {
    period: quarter,
    dir: input.dir,
    reviewer: admin.name,
    reviewedOn: dayOf(on),
    accounts: systems.reduce((sum, entry) => sum + entry.accounts, 0),
    systems,
    decisions,
    revokes: revoked,
  };
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { DemoResult } from '../../src/demo/run-demo.js';
import { readDocx, type DocxContent } from '../system-description/docx-reader.js';

type Row = Record<string, string>;

const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const iso = (at: number) => new Date(at).toISOString();
const distinct = (rows: readonly Row[], column: string) =>
  [...new Set(rows.map((row) => row[column] ?? ''))].sort();
const countBy = (rows: readonly Row[], column: string) => {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row[column] ?? '', (counts.get(row[column] ?? '') ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => [name, String(n)]);
};

/** The one paragraph of the draft that matches, with its groups. */
function sentence(draft: DocxContent, pattern: RegExp): RegExpExecArray {
  const found = draft.paragraphs.flatMap((text) => {
    const match = pattern.exec(text);
    return match ? [match] : [];
  });
  expect(
    found.map((match) => match[0]),
    String(pattern),
  ).toHaveLength(1);
  return found[0]!;
}

/** The draft's table whose header row starts with `headers`, without its header row. */
function tableOf(draft: DocxContent, ...headers: string[]): string[][] {
  const tables = draft.tables.filter((table) => headers.every((header, i) => table[0]?.[i] === header));
  expect(tables, `one table headed ${headers.join(', ')}`).toHaveLength(1);
  return tables[0]!.slice(1);
}

/**
 * Issue 16 on the demo store: the DC 200 draft written into the package (DOCX, read back) counts what the
 * package's population files hold (accounts, regions, repositories and protected branches, people by
 * department, production changes, Jira and Linear tickets), every cited file has the rows and hash the
 * draft gives, and the significant changes list the sandbox's planted events on their days.
 */
export async function assertSystemDescription(result: DemoResult): Promise<void> {
  const { out, period } = result.auditorPackage;
  const file = (name: string) => path.join(out, `${name}_${period.label}.csv`);
  const rowsOf = async (name: string): Promise<Row[]> =>
    parse(await readFile(file(name), 'utf8'), { columns: true, bom: true }) as Row[];
  const draft = readDocx(await readFile(path.join(out, `DC200_System_Description_${period.label}.docx`)));

  // Every cited file: its rows are the CSV twin's, its hash the manifest's.
  const manifest = JSON.parse(await readFile(path.join(out, 'MANIFEST.json'), 'utf8')) as {
    files: { path: string; sha256: string }[];
  };
  const cited = draft.paragraphs.flatMap((text) => {
    const match = /^(\S+\.xlsx), (\d+) rows?, sha256 ([0-9a-f]{64})$/.exec(text);
    return match ? [{ file: match[1]!, rows: Number(match[2]), sha256: match[3]! }] : [];
  });
  expect(cited.length).toBeGreaterThan(15);
  for (const cite of cited) {
    const csv = await readFile(path.join(out, cite.file.replace(/\.xlsx$/, '.csv')), 'utf8');
    const rows = (parse(csv, { columns: true, bom: true }) as Row[]).length;
    expect({ file: cite.file, rows }).toEqual({ file: cite.file, rows: cite.rows });
    const hash = createHash('sha256')
      .update(await readFile(path.join(out, cite.file)))
      .digest('hex');
    expect(manifest.files.find((entry) => entry.path === cite.file)?.sha256).toBe(hash);
    expect(cite.sha256).toBe(hash);
  }

  // Infrastructure: AWS accounts and regions, as the IAM and CloudTrail populations hold them.
  const aws = sentence(draft, /^AWS: (\d+) accounts? in scope \(([^)]*)\), (\d+) regions \(([^)]*)\)/);
  const iam = await rowsOf('CC6.1_AWS_IAM_State');
  const samples = await rowsOf('CC7.2_CloudTrail_Log_Samples');
  expect(aws[2]!.split(', ').sort()).toEqual(distinct(iam, 'Account'));
  expect(Number(aws[1])).toBe(distinct(iam, 'Account').length);
  expect(aws[4]!.split(', ')).toEqual(distinct(samples, 'Region'));
  expect(Number(aws[3])).toBe(distinct(samples, 'Region').length);

  // GitHub: the repositories observed and those protected on the last day, as the branch-protection file says.
  const github = sentence(
    draft,
    /^GitHub organisation (\S+): (\d+) repositories in scope, (\d+) with a protected default branch/,
  );
  const protection = (await rowsOf('CC8.1_Branch_Protection')).filter((row) => row.Record === 'observation');
  const lastDay = distinct(protection, 'Date (UTC)').at(-1);
  const lastSeen = protection.filter((row) => row['Date (UTC)'] === lastDay);
  const unprotected = lastSeen.filter((row) => (row.Findings ?? '').includes('default_branch_unprotected'));
  expect(Number(github[2])).toBe(distinct(protection, 'Repository').length);
  expect(distinct(lastSeen, 'Repository')).toEqual(distinct(protection, 'Repository'));
  expect(Number(github[3])).toBe(lastSeen.length - unprotected.length);
  expect(unprotected.length).toBeGreaterThan(0);
  const repositories = tableOf(draft, 'Repository');
  expect(repositories.map((row) => row[0])).toEqual(distinct(protection, 'Repository'));
  expect(repositories.filter((row) => row[2] === 'no').map((row) => row[0])).toEqual(
    distinct(unprotected, 'Repository'),
  );
  expect(repositories.map((row) => row[0])).toContain(result.planted.newRepository.fullName);

  // Software: the changes of the period are the production-changes population.
  const changes = await rowsOf('CC8.1_Production_Changes');
  const software = sentence(draft, /^Software is built from the (\d+) repositories above.*, (\d+) rows\)$/);
  expect(Number(software[1])).toBe(distinct(protection, 'Repository').length);
  expect(Number(software[2])).toBe(changes.length);
  expect(changes.length).toBeGreaterThan(100);

  // Jira and Linear (counted.ts): tickets of the period, by project and by team, as their files hold them.
  const jira = await rowsOf('CC8.1_Change_Tickets');
  const jiraSaid = sentence(
    draft,
    /^Change management in Jira Cloud .*: (\d+) change tickets created or updated/,
  );
  expect(Number(jiraSaid[1])).toBe(jira.length);
  expect(tableOf(draft, 'Jira project')).toEqual(countBy(jira, 'Project'));
  const linear = await rowsOf('CC8.1_Change_Tickets_Linear');
  const linearSaid = sentence(
    draft,
    /^Change management in Linear, .*: (\d+) change tickets created or updated/,
  );
  expect(Number(linearSaid[1])).toBe(linear.length);
  expect(tableOf(draft, 'Linear team')).toEqual(countBy(linear, 'Team'));
  expect(jira.length * linear.length).toBeGreaterThan(0);

  // People (people.ts): the workforce by department, as the CC6.1 workforce file's person rows.
  const workforce = await rowsOf('CC6.1_Workforce');
  const people = workforce.filter((row) => row.Record === 'person');
  expect(Number(sentence(draft, /^Workforce of the period: (\d+) people/)[1])).toBe(people.length);
  expect(people.length).toBe(result.people.people);
  expect(tableOf(draft, 'Department')).toEqual(countBy(people, 'Department'));
  // Accounts and admins per system: one row per system the workforce file has an accounts column for.
  const systems = Object.keys(workforce[0] ?? {})
    .filter((column) => column.endsWith(' accounts'))
    .map((column) => column.slice(0, -' accounts'.length))
    .sort();
  expect(tableOf(draft, 'System', 'Accounts').map((row) => row[0])).toEqual(systems);

  // Significant changes: the planted logging outage, protection change and new repository, on their days.
  const significant = tableOf(draft, 'Date (UTC)').map(([date, text, source]) => ({ date, text, source }));
  const trailFile = `CC7.2_CloudTrail_Trail_Status_${period.label}.xlsx`;
  const protectionFile = `CC8.1_Branch_Protection_${period.label}.xlsx`;
  const { loggingOutage, protectionChanges, newRepository } = result.planted;
  const listed = (date: string, text: RegExp, file: string) =>
    expect(
      significant.filter((row) => row.date === date && text.test(row.text ?? '')),
      `${date} ${String(text)}`,
    ).toEqual([expect.objectContaining({ source: expect.stringContaining(file) })]);
  listed(
    day(loggingOutage.start),
    new RegExp(`^Logging stopped on trail .* at ${iso(loggingOutage.start)}$`),
    trailFile,
  );
  listed(
    day(loggingOutage.end),
    new RegExp(`^Logging restarted on trail .* at ${iso(loggingOutage.end)}$`),
    trailFile,
  );
  expect(protectionChanges.repos.length).toBeGreaterThan(0);
  for (const repo of protectionChanges.repos)
    listed(
      day(protectionChanges.at),
      new RegExp(`^required approvals lowered .* on ${repo}$`),
      protectionFile,
    );
  listed(
    day(newRepository.at),
    new RegExp(`^Repository ${newRepository.fullName} came into scope$`),
    protectionFile,
  );
  // The planted collection outage is a change in how the controls were evidenced.
  listed(
    day(result.outage.start),
    new RegExp(`^Collection gap in ${result.outage.stream} until `),
    '_AWS_Access_Changes_',
  );
  for (const { date } of significant)
    expect(date! >= day(result.period.start) && date! < day(result.period.end)).toBe(true);
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { peopleFileName } from '../../checks/people/file-names.js';
import { parse } from 'csv-parse/sync';

/** What the package's people files show, counted from the files themselves. */
export interface PeopleSummary {
  readonly people: number;
  readonly joiners: number;
  readonly movers: number;
  readonly leavers: number;
  /** Accounts linked to no person, and service accounts (rows of the workforce file). */
  readonly unlinked: number;
  readonly serviceAccounts: number;
  readonly files: readonly string[];
}

async function rows(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

/** Reads CC6.1_Workforce_<label>.csv and CC6.2_Joiners_Movers_Leavers_<label>.csv of a written package. */
export async function readPeopleFiles(out: string, label: string): Promise<PeopleSummary> {
  const files = [
    `${peopleFileName('workforce', label)}.csv`,
    `${peopleFileName('joinersMoversLeavers', label)}.csv`,
  ];
  const [workforce, jml] = await Promise.all(files.map((file) => rows(path.join(out, file))));
  const count = (list: Record<string, string>[] | undefined, column: string, value: string) =>
    (list ?? []).filter((row) => row[column] === value).length;
  return {
    people: count(workforce, 'Record', 'person'),
    joiners: count(jml, 'Event', 'joiner'),
    movers: count(jml, 'Event', 'mover'),
    leavers: count(jml, 'Event', 'leaver'),
    unlinked: count(workforce, 'Record', 'unlinked account'),
    serviceAccounts: count(workforce, 'Record', 'service account'),
    files,
  };
}

import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_SETTINGS } from '../../checks/people/defaults.js';
import { leaverRows, type LeaverRow } from '../../checks/people/leaver-rows.js';
import { writeLifecycleFiles } from '../../checks/people/lifecycle-files.js';
import { leaverAccessRemoval } from '../../checks/leaver-access-removal.js';
import { CREDENTIAL_REPORT } from '../../checks/person-mfa.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import { leaverAccessTruth, type LeaverAccessTruth } from '../../src/sandbox/company/index.js';
import { DAY, alignDown, iso } from '../../src/time.js';
import { collectCompany, type CompanyStore } from './support/company-store.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const DAYS = 60;

let world: CompanyStore;
let rows: LeaverRow[];
let truth: LeaverAccessTruth[];
let file: Record<string, string>[];

beforeAll(async () => {
  world = await collectCompany({ seed: 7, now: NOW, days: DAYS });
  const facts = new StoreFacts(
    world.store,
    'leaver-rows',
    new Set([...leaverAccessRemoval.streams, CREDENTIAL_REPORT]),
    world.collected,
    (fact) => {
      throw new Error(`unreadable ${fact.key}: ${fact.problem}`);
    },
  );
  const policy = { sla: DAY, slaBySystem: {} };
  rows = await leaverRows(facts, world.company.period, DEFAULT_PEOPLE_SETTINGS, policy);
  const out = mkdtempSync(path.join(tmpdir(), 'ew-leaver-file-'));
  const period = { ...world.company.period, label: 'P' };
  await writeLifecycleFiles(facts, period, DEFAULT_PEOPLE_SETTINGS, policy, out);
  file = parse(readFileSync(path.join(out, 'CC6.2_Leaver_Access_Removal_P.csv'), 'utf8'), {
    columns: true,
    bom: true,
  });
  truth = leaverAccessTruth(world.company, { awsAccountId: world.sandboxes.aws.groundTruth.accountId });
}, 240_000);

afterAll(async () => {
  await world?.close();
});

const keyOf = (row: { person: string; system: string; account: string }) =>
  `${row.person} ${row.system} ${row.account}`;

describe('the CC6.2 leaver rows on the sandbox company, against the planted ground truth', () => {
  it('has exactly one row per leaver of the period and system where the leaver had an account, with the HR end date', () => {
    expect(truth.length).toBeGreaterThan(10);
    expect(rows.map((row) => `${keyOf(row)} ${row.endDate}`).sort()).toEqual(
      truth.map((row) => `${keyOf(row)} ${row.endDate}`).sort(),
    );
  });

  it('ends access to the minute where a source event records the removal, to the day where only snapshots bound it', () => {
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    const seen = { minute: 0, day: 0, none: 0 };
    for (const expected of truth) {
      const row = byKey.get(keyOf(expected))!;
      const label = keyOf(expected);
      expect(row.leftAt, label).toBe(alignDown(expected.leftAt, DAY));
      if (expected.accessEndedAt === null || expected.collectionGap !== null) {
        // Never removed, or removed where the system was not collected: no moment can be evidenced.
        expect({ at: row.accessEndedAt, precision: row.precision }, label).toEqual({
          at: null,
          precision: null,
        });
        seen.none += 1;
      } else if (expected.event !== null) {
        expect(row.precision, label).toBe('minute');
        expect(row.accessEndedAt, label).toBe(expected.accessEndedAt);
        expect(row.evidence, label).toContain(expected.event);
        // The HR end date is a day: the delay runs from its midnight, the planted one from the planted moment.
        expect(row.delayMs, label).toBe(expected.delayMs! + expected.leftAt - row.leftAt);
        seen.minute += 1;
      } else {
        // The first midnight snapshot without the account: the removal's day, bounded from above.
        expect(row.precision, label).toBe('day');
        expect(row.accessEndedAt, label).toBe(alignDown(expected.accessEndedAt, DAY) + DAY);
        seen.day += 1;
      }
      if (row.accessEndedAt !== null) expect(row.delayMs, label).toBe(row.accessEndedAt - row.leftAt);
    }
    expect(seen.minute).toBeGreaterThan(3);
    expect(seen.day).toBeGreaterThan(3);
    expect(seen.none).toBe(2);
  });

  it('gives each row the finding the sandbox planted there and none elsewhere', () => {
    const codes = (row: LeaverRow) => row.findings.map((finding) => finding.code);
    const found = rows.map((row) => `${keyOf(row)} ${codes(row).join(',')}`).sort();
    const planted = truth.map((row) => `${keyOf(row)} ${row.plantedFinding ?? ''}`).sort();
    expect(found).toEqual(planted);
    const gap = rows.find((row) => codes(row).includes('removal_not_evidenced'))!;
    expect(gap.gap).toEqual({ start: world.outage.start, end: world.outage.end });
  });

  it('writes the same rows into CC6.2_Leaver_Access_Removal: person, end date, system, account, when, precision, finding', () => {
    const written = file.map((line) =>
      [
        line.Person,
        line['End Date'],
        line.System,
        line.Account,
        line['Access Ended At (UTC)'],
        line.Precision,
        line.Finding,
      ].join(' | '),
    );
    const ended = (row: LeaverAccessTruth) => {
      if (row.accessEndedAt === null || row.collectionGap !== null) return ['', ''];
      if (row.event !== null) return [iso(row.accessEndedAt), 'minute'];
      return [iso(alignDown(row.accessEndedAt, DAY) + DAY), 'day'];
    };
    const expected = truth.map((row) =>
      [row.person, row.endDate, row.system, row.account, ...ended(row), row.plantedFinding ?? ''].join(' | '),
    );
    expect(written.sort()).toEqual(expected.sort());
  });
});

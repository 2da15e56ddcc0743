import path from 'node:path';
import { utimesSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_SETTINGS } from '../../checks/people/defaults.js';
import { buildPeopleRegister } from '../../checks/people/people-snapshots.js';
import { registerStreams } from '../../checks/people/register.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import {
  hrConfig,
  hrRunner,
  presetRows,
  staff,
  tempDir,
  workforceInstance,
  writeCsv,
  type TestEmployee,
} from './support.js';

const DAY1 = Date.UTC(2026, 2, 2);
const opened: { store: EvidenceStore; url: string }[] = [];
afterAll(async () => {
  for (const { store, url } of opened) {
    await store.close();
    await dropStore(url);
  }
});

async function population(store: EvidenceStore, from: number, to: number) {
  const rows = [];
  for await (const row of new EvidenceRepository(store).population('hr-workforce', from, to)) rows.push(row);
  return rows.map((row) => ({
    key: row.item_key,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  }));
}

describe('hr-workforce', () => {
  it('dated exports in a directory give one observation a day and the hires, terminations and moves between them', async () => {
    const dir = tempDir();
    const [ada, grace, alan, edsger] = staff as [TestEmployee, TestEmployee, TestEmployee, TestEmployee];
    const day1 = [ada, grace, { ...alan, endDate: null, status: 'Active' }, edsger];
    writeCsv(path.join(dir, 'bamboohr-2026-03-02.csv'), presetRows('bamboohr', day1));
    // Day 2: Alan's termination is recorded late, dated the week before; Ada moves to Platform; a hire.
    const linus: TestEmployee = {
      ...ada,
      employeeId: '105',
      email: 'linus@acme.test',
      firstName: 'Linus',
      startDate: '2026-03-03',
    };
    const day2 = [{ ...ada, department: 'Platform' }, grace, alan, edsger, linus];
    // Two files of the same import day: the one written last stands for it.
    const stale = writeCsv(path.join(dir, 'bamboohr-2026-03-03-morning.csv'), presetRows('bamboohr', day1));
    utimesSync(stale, new Date(DAY1), new Date(DAY1));
    writeCsv(path.join(dir, 'bamboohr-2026-03-03.csv'), presetRows('bamboohr', day2));
    // Day 3: Edsger's row is gone with no end date.
    writeCsv(
      path.join(dir, 'bamboohr-20260304.csv'),
      presetRows(
        'bamboohr',
        day2.filter((e) => e !== edsger),
      ),
    );

    const { store, url } = await freshStore('sqlite');
    opened.push({ store, url });
    const config = hrConfig({ directory: dir });
    const stream = workforceInstance(config);
    const runner = hrRunner(store, config, () => DAY1 + 10 * DAY);
    for (let day = 0; day < 3; day += 1) {
      const window = { start: DAY1 + day * DAY, end: DAY1 + (day + 1) * DAY };
      const outcome = await runner.collect({ stream, window, trigger: 'backfill', attempt: 1 });
      expect(outcome.status).toBe('succeeded');
    }
    const items = await population(store, DAY1, DAY1 + 3 * DAY);
    const employeesOn = (day: string) =>
      items
        .filter((item) => item.payload.kind === 'employee' && item.payload.day === day)
        .map((item) => item.payload.employeeId);
    expect(employeesOn('2026-03-02')).toEqual(['101', '102', '103', '104']);
    expect(employeesOn('2026-03-03')).toEqual(['101', '102', '103', '104', '105']);
    expect(employeesOn('2026-03-04')).toEqual(['101', '102', '103', '105']);
    const changes = items
      .filter((item) => item.payload.kind === 'change')
      .map(({ payload: p }) => [
        p.day,
        p.change,
        p.employeeId,
        p.effectiveDate,
        p.dateSource,
        p.field,
        p.from,
        p.to,
      ]);
    expect(changes).toEqual([
      ['2026-03-03', 'move', '101', '2026-03-03', 'observed', 'department', 'Engineering', 'Platform'],
      ['2026-03-03', 'termination', '103', '2026-02-27', 'file', 'endDate', null, '2026-02-27'],
      ['2026-03-03', 'status-changed', '103', '2026-03-03', 'observed', 'status', 'Active', 'Terminated'],
      ['2026-03-03', 'hire', '105', '2026-03-03', 'file', null, null, null],
      ['2026-03-04', 'termination', '104', '2026-03-04', 'observed', null, null, null],
    ]);

    // Re-running a day changes nothing: same diff against the same baseline.
    const again = await runner.collect({
      stream,
      window: { start: DAY1 + DAY, end: DAY1 + 2 * DAY },
      trigger: 'backfill',
      attempt: 1,
    });
    expect(again.counts).toMatchObject({ new: 0, changed: 0 });
  });

  it('rows with a missing email, an unparseable date or a duplicate id are rejected with their row numbers', async () => {
    const rows = presetRows('bamboohr', staff);
    const bad = [
      ...rows,
      ['201', 'No', 'Mail', '', '01/05/2026', '', 'Active', 'Sales', '', 'Rep', 'Remote'],
      ['202', 'Bad', 'Date', 'bad.date@acme.test', '2026/13/01', '', 'Active', 'Sales', '', 'Rep', 'Remote'],
      ['101', 'Ada', 'Again', 'ada2@acme.test', '01/15/2024', '', 'Active', 'Sales', '', 'Rep', 'Remote'],
      [
        '203',
        'Late',
        'Leaver',
        'late@acme.test',
        '01/05/2026',
        '31/01/2026',
        'Active',
        'Sales',
        '',
        'Rep',
        'Remote',
      ],
    ];
    const file = writeCsv(path.join(tempDir(), 'export.csv'), bad);
    const { store, url } = await freshStore('sqlite');
    opened.push({ store, url });
    const config = hrConfig({ file });
    const window = { start: DAY1, end: DAY1 + DAY };
    const outcome = await hrRunner(store, config, () => DAY1 + DAY / 2).collect({
      stream: workforceInstance(config),
      window,
      trigger: 'schedule',
      attempt: 1,
    });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.counts).toMatchObject({ new: 4, skipped: 4 });
    const rejects = await store.db.selectFrom('rejects').select(['reason', 'source']).orderBy('id').execute();
    expect(rejects.map((row) => `${row.reason} (${row.source})`)).toEqual([
      'row 6: employee 201 has no work email (export.csv row 6)',
      'row 7: employee 202: start date "2026/13/01" is not a date in MM/DD/YYYY (export.csv row 7)',
      'row 8: employee id 101 is a duplicate of row 2 (export.csv row 8)',
      'row 9: employee 203: end date "31/01/2026" is not a date in MM/DD/YYYY (export.csv row 9)',
    ]);
  });
  it('an export with a header and no employee is one quiet item saying so, which the people register reads as nobody', async () => {
    const file = writeCsv(path.join(tempDir(), 'export.csv'), presetRows('bamboohr', []));
    const { store, url } = await freshStore('sqlite');
    opened.push({ store, url });
    const config = hrConfig({ file });
    const window = { start: DAY1, end: DAY1 + DAY };
    const outcome = await hrRunner(store, config, () => DAY1 + DAY / 2).collect({
      stream: workforceInstance(config),
      window,
      trigger: 'schedule',
      attempt: 1,
    });
    expect(outcome.status).toBe('succeeded');
    const rows = await store.db
      .selectFrom('evidence_items')
      .select(['item_key', 'quiet', 'payload'])
      .execute();
    expect(rows.map((row) => [row.item_key, Number(row.quiet)])).toEqual([['2026-03-02/#empty', 1]]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      kind: 'empty',
      description: 'export.csv read: no employees',
    });
    const unreadable: unknown[] = [];
    const settings = DEFAULT_PEOPLE_SETTINGS;
    const facts = new StoreFacts(
      store,
      'people',
      new Set(registerStreams(settings)),
      new Set(['hr-workforce']),
      (fact) => unreadable.push(fact),
    );
    const period = { start: DAY1, end: DAY1 + DAY };
    const register = await buildPeopleRegister(facts, period, settings);
    expect(register.people).toEqual([]);
    expect(unreadable).toEqual([]);
  });

  it('an export missing most current employees is refused as truncated, not read as mass leavers, and the previous state stands', async () => {
    const [ada] = staff as [TestEmployee];
    const team: TestEmployee[] = Array.from({ length: 8 }, (_, n) => ({
      ...ada,
      employeeId: `${300 + n}`,
      email: `person${n}@acme.test`,
      firstName: `Person${n}`,
    }));
    const file = path.join(tempDir(), 'export.csv');
    const { store, url } = await freshStore('sqlite');
    opened.push({ store, url });
    const config = hrConfig({ file });
    const stream = workforceInstance(config);
    // A single file is read as the present: the clock stands on each day as it is collected.
    let now = DAY1;
    const runner = hrRunner(store, config, () => now);
    const collectDay = (day: number) => {
      now = DAY1 + day * DAY + DAY / 2;
      return runner.collect({
        stream,
        window: { start: DAY1 + day * DAY, end: DAY1 + (day + 1) * DAY },
        trigger: 'schedule',
        attempt: 1,
      });
    };

    writeCsv(file, presetRows('bamboohr', team));
    expect((await collectDay(0)).status).toBe('succeeded');
    // Day 2: the export was cut after three rows (a partial download): five of eight gone, no end dates.
    writeCsv(file, presetRows('bamboohr', team.slice(0, 3)));
    const cut = await collectDay(1);
    expect(cut.status).toBe('failed');
    expect(cut.error?.code).toBe('HR_EXPORT_TRUNCATED');
    expect(cut.error?.message).toContain('5 of 8 current employees are missing without an end date');
    // Day 3: the complete export again, one real leaver deleted from it: one termination, against day 1.
    writeCsv(file, presetRows('bamboohr', team.slice(1)));
    expect((await collectDay(2)).status).toBe('succeeded');
    const items = await population(store, DAY1, DAY1 + 3 * DAY);
    expect(items.filter((item) => item.payload.day === '2026-03-03')).toEqual([]);
    expect(
      items
        .filter((item) => item.payload.kind === 'change')
        .map(({ payload: p }) => [p.day, p.since, p.change, p.employeeId]),
    ).toEqual([['2026-03-04', '2026-03-02', 'termination', '300']]);

    // A guard turned off (maxVanishedShare: 1) reads the same cut file as leavers, as configured.
    const lenient = hrConfig({ file, maxVanishedShare: 1 });
    const { store: other, url: otherUrl } = await freshStore('sqlite');
    opened.push({ store: other, url: otherUrl });
    const lenientRunner = hrRunner(other, lenient, () => now);
    writeCsv(file, presetRows('bamboohr', team));
    now = DAY1 + DAY / 2;
    const window0 = { start: DAY1, end: DAY1 + DAY };
    await lenientRunner.collect({
      stream: workforceInstance(lenient),
      window: window0,
      trigger: 'schedule',
      attempt: 1,
    });
    writeCsv(file, presetRows('bamboohr', team.slice(0, 3)));
    now = DAY1 + DAY + DAY / 2;
    const read = await lenientRunner.collect({
      stream: workforceInstance(lenient),
      window: { start: DAY1 + DAY, end: DAY1 + 2 * DAY },
      trigger: 'schedule',
      attempt: 1,
    });
    expect(read.status).toBe('succeeded');
  });
});

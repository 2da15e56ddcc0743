import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHrFileClient } from '../../connectors/hr-file/client.js';
import { presetIds } from '../../connectors/hr-file/presets.js';
import { hrConfig, presetRows, staff, tempDir, writeCsv, writeXlsx } from './support.js';

const expected = staff.map((e) => ({
  employeeId: e.employeeId,
  email: e.email,
  name: `${e.firstName} ${e.lastName}`,
  startDate: e.startDate,
  endDate: e.endDate,
  status: e.status,
  department: e.department,
  manager: e.manager || null,
  jobTitle: e.jobTitle,
}));

async function people(section: Record<string, unknown>) {
  const client = await createHrFileClient(hrConfig(section));
  const day = await client.readDay('2026-03-01');
  expect(day.rejected).toEqual([]);
  return { layout: day.layout.source, people: day.employees.map(({ row: _row, ...rest }) => rest) };
}

describe('hr-file presets', () => {
  for (const id of presetIds) {
    it(`a ${id} export (CSV, auto-detected) imports to the same people`, async () => {
      const file = writeCsv(path.join(tempDir(), `${id}.csv`), presetRows(id, staff));
      const auto = await people({ file });
      expect(auto.people).toEqual(expected);
      const named = await people({ file, preset: id });
      expect(named).toEqual({ layout: id, people: expected });
    });
  }

  it('an XLSX export imports to the same people as its CSV', async () => {
    const dir = tempDir();
    const file = await writeXlsx(path.join(dir, 'hibob.xlsx'), presetRows('hibob', staff));
    expect(await people({ file, preset: 'hibob' })).toEqual({ layout: 'hibob', people: expected });
  });

  it('an explicit column mapping reads a layout no preset knows', async () => {
    const rows = presetRows('bamboohr', staff).map((row, index) =>
      index === 0
        ? ['Staff No', 'Given', 'Family', 'Mail', 'Joined', 'Left', 'State', 'Team', 'Boss', 'Role', 'Office']
        : row,
    );
    const file = writeCsv(path.join(tempDir(), 'custom.csv'), rows);
    const mapped = await people({
      file,
      dateFormat: 'MM/DD/YYYY',
      columns: {
        employeeId: 'Staff No',
        firstName: 'Given',
        lastName: 'Family',
        email: 'mail',
        startDate: 'Joined',
        endDate: 'Left',
        status: 'State',
        department: 'Team',
        manager: 'Boss',
        jobTitle: 'Role',
      },
    });
    expect(mapped).toEqual({ layout: 'mapping', people: expected });
  });

  it('a layout matching no preset and no mapping is one line naming the missing columns', async () => {
    const file = writeCsv(path.join(tempDir(), 'odd.csv'), [
      ['Person', 'Mail', 'Joined'],
      ['1', 'a@b.test', '2024-01-01'],
    ]);
    await expect(createHrFileClient(hrConfig({ file }))).rejects.toThrow(
      /^connectors\.hr-file: odd\.csv: its columns match no preset: missing employee id .*work email .*start date/,
    );
    await expect(createHrFileClient(hrConfig({ file, preset: 'personio' }))).rejects.toThrow(
      'connectors.hr-file: odd.csv: its columns do not match the personio preset: missing employee id ("ID" or "Employee ID"), work email ("Email"), start date ("Hire date"), first name ("First name"), last name ("Last name") (closest preset personio); set connectors.hr-file.columns',
    );
  });
});

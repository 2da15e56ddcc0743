import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { catalogueDir } from '../../src/catalogue/catalogue.js';
import { readCsvRecords } from '../../src/catalogue/csv.js';

const files = readdirSync(catalogueDir).filter((name) => name.endsWith('.csv'));

describe("the catalogue's CSV reader", () => {
  it.each(files)('reads %s exactly as csv-parse does', (name) => {
    const text = readFileSync(path.join(catalogueDir, name), 'utf8');
    expect(readCsvRecords(text, name)).toEqual(parse(text, { columns: true, skip_empty_lines: true }));
  });

  it('reads quoted commas, doubled quotes, line breaks inside quotes, CRLF and empty lines', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""",\r\n\r\n"two\nlines",,last';
    expect(readCsvRecords(text, 't.csv')).toEqual([
      { a: 'x, y', b: 'say "hi"', c: '' },
      { a: 'two\nlines', b: '', c: 'last' },
    ]);
  });

  it('names the file and row of a row with too few or too many fields', () => {
    expect(() => readCsvRecords('a,b\n1,2\n3\n', 't.csv')).toThrow(
      /t\.csv row 3: 1 fields where the header has 2/,
    );
    expect(() => readCsvRecords('a,b\n"unclosed,2\n', 't.csv')).toThrow(/t\.csv/);
  });
});

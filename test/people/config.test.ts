import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMappingsFile } from '../../checks/people/mappings-file.js';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../hr-file/support.js';

describe('people config', () => {
  it('names the field of a bad service account in one line', () => {
    expect(() =>
      parseConfig({
        people: { serviceAccounts: [{ system: 'Okta', account: 'svc', owner: 'bob', reason: 'x' }] },
      }),
    ).toThrow(/^config: people\.serviceAccounts\[0\]\.owner: expected the owner's work email/);
    expect(() => parseConfig({ people: { mapping: 'x.csv' } })).toThrow(/^config: people.*mapping/);
  });

  it('reads the mapping file as CSV or YAML and names a bad row', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'map.csv'), 'System,Account,Person\nGitHub,alice,alice@acme.test\n');
    writeFileSync(
      path.join(dir, 'map.yaml'),
      '- { system: GitHub, account: alice, person: alice@acme.test }\n',
    );
    const expected = [{ system: 'GitHub', account: 'alice', person: 'alice@acme.test' }];
    expect(readMappingsFile('map.csv', dir)).toEqual(expected);
    expect(readMappingsFile('map.yaml', dir)).toEqual(expected);
    writeFileSync(
      path.join(dir, 'bad.csv'),
      'system,account,person\nGitHub,alice,alice@acme.test\nGitHub,bob,bob\n',
    );
    expect(() => readMappingsFile('bad.csv', dir)).toThrow(UsageError);
    // Like every other config error, it starts with "config:".
    expect(() => readMappingsFile('bad.csv', dir)).toThrow(
      /^config: people\.mappings: bad\.csv: row 3 person: expected the person's work email/,
    );
    expect(() => readMappingsFile('missing.csv', dir)).toThrow(/^config: people\.mappings: missing\.csv: /);
  });
});

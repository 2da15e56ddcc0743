import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, writeConfig } from '../support/cli.js';
import { tempDir, writeCsv } from './support.js';

describe('hr-file through the CLI', () => {
  it('an export whose columns match no preset and no mapping stops the backfill with one line, exit 2', async () => {
    const dir = tempDir();
    const file = writeCsv(path.join(dir, 'people.csv'), [
      ['Person', 'Mail', 'Joined'],
      ['1', 'ada@acme.test', '2026-01-05'],
    ]);
    const config = writeConfig(
      [
        `store: { url: "file:${path.join(dir, 'evidence.db')}" }`,
        'connectors:',
        '  hr-file:',
        `    file: "${file}"`,
      ].join('\n'),
    );
    const result = await runCli([
      '--config',
      config,
      'backfill',
      '--inline',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-01',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'evidence-worker: connectors.hr-file: people.csv: its columns match no preset: missing employee id ("Employee ID" or "Employee number"), work email ("Work email"), start date ("Start date"), name ("Full name" or "Legal full name") (closest preset rippling); set connectors.hr-file.columns',
    ]);
  });

  it('a config naming neither a file nor a directory is one line, exit 2', async () => {
    const dir = tempDir();
    const config = writeConfig(
      [
        `store: { url: "file:${path.join(dir, 'evidence.db')}" }`,
        'connectors:',
        '  hr-file:',
        '    preset: bamboohr',
      ].join('\n'),
    );
    const result = await runCli([
      '--config',
      config,
      'backfill',
      '--inline',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-01',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/hr-file.*file.*expected exactly one of file or directory/);
  });

  it('a maxVanishedShare outside 0..1 is one line naming the field, exit 2', async () => {
    const dir = tempDir();
    const config = writeConfig(
      [
        `store: { url: "file:${path.join(dir, 'evidence.db')}" }`,
        'connectors:',
        '  hr-file:',
        `    directory: "${dir}"`,
        '    maxVanishedShare: 1.5',
      ].join('\n'),
    );
    const result = await runCli(['--config', config, 'streams']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/connectors\.hr-file\.maxVanishedShare.*1/);
  });

  it('collect with a mistyped file: path fails the window at once, naming the path, and continuity shows the gap', async () => {
    const dir = tempDir();
    const mistyped = path.join(dir, 'peple.csv');
    writeCsv(path.join(dir, 'people.csv'), [
      ['Employee ID', 'Work email', 'Start date', 'Full name'],
      ['1', 'ada@acme.test', '2026-01-05', 'Ada'],
    ]);
    const config = writeConfig(
      [
        `store: { url: "file:${path.join(dir, 'evidence.db')}" }`,
        'connectors:',
        '  hr-file:',
        `    file: "${mistyped}"`,
      ].join('\n'),
    );
    // Retried as a file in transit, this run would back off for over a minute: the timeout is that failure.
    const result = await runCli(['--config', config, 'collect', '--inline']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"code":"HR_FILE_NOT_FOUND","retry":"fatal"');
    expect(result.stderr).toContain(`${mistyped}: no such file (connectors.hr-file.file); check the path`);
    expect(result.stdout).toMatch(/hr-workforce .* attempted and failed \(HR_FILE_NOT_FOUND\); recoverable/);
  }, 30_000);
});

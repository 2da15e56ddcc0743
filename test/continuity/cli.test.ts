import { Command } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { continuityCommand } from '../../src/cli/commands/continuity.js';
import { UsageError } from '../../src/errors.js';
import { stringify } from 'yaml';
import { gridWindows, HOUR } from '../../src/time.js';
import { collectHistory, openHarness, type Harness } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DAY0 = Date.UTC(2026, 2, 1);

/**
 * Runs the command as the CLI's main does (commander, same registration), in this process: the full CLI
 * entry point imports every command, so a half-finished one elsewhere must not break this test.
 * Returns what main would make of it: exit code, stdout, and a UsageError's one line.
 */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('evidence-worker').option('-c, --config <file>').exitOverride();
  continuityCommand.register(program);
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout: printed.join('\n'), stderr: '' };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, stdout: printed.join('\n'), stderr: `evidence-worker: ${error.message}\n` };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

describe('evidence-worker continuity', () => {
  let harness: Harness;
  let config: string;
  beforeAll(async () => {
    harness = await openHarness('sqlite', { start: DAY0 });
    await collectHistory(harness, 'fakesrc-changes', [
      ...gridWindows(DAY0, DAY0 + 3 * HOUR, HOUR),
      ...gridWindows(DAY0 + 9 * HOUR, DAY0 + 48 * HOUR, HOUR),
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-cli-'));
    config = path.join(dir, 'evidence-worker.yaml');
    writeFileSync(
      config,
      stringify({
        store: { url: harness.storeUrl },
        modules: [path.join(ROOT, 'test/continuity/fake-connector.ts')],
        connectors: { fakesrc: { baseUrl: harness.source.url } },
        streams: { 'fakesrc-logs': { enabled: false }, 'fakesrc-trail': { enabled: false } },
      }),
    );
  });
  afterAll(() => harness.close());

  it('prints a table with every gap and exits 1 when the period has one; JSON with --json', async () => {
    const [table, json] = [
      await cli(['-c', config, 'continuity', '--from', '2026-03-01', '--to', '2026-03-01']),
      await cli(['-c', config, 'continuity', '--from', '2026-03-01', '--to', '2026-03-01', '--json']),
    ];
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/INCOMPLETE/);
    expect(table.stdout).toMatch(/fakesrc-changes\s+events\s+75\.0%/);
    expect(table.stdout).toContain(
      'fakesrc-changes  2026-03-01 03:00 → 2026-03-01 09:00  6h  never attempted; recoverable: the source still holds it',
    );
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.complete).toBe(false);
    expect(report.streams[0].gaps).toEqual([
      expect.objectContaining({ start: DAY0 + 3 * HOUR, end: DAY0 + 9 * HOUR, cause: 'never_attempted' }),
    ]);
  });

  it('exits 0 for a fully covered period, 2 with one line for a bad date or an unknown stream', async () => {
    const covered = await cli([
      '-c',
      config,
      'continuity',
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--stream',
      'fakesrc-changes',
    ]);
    const badDate = await cli(['-c', config, 'continuity', '--from', '2026-02-30', '--to', '2026-03-02']);
    const unknown = await cli([
      '-c',
      config,
      'continuity',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-02',
      '--stream',
      'nope',
    ]);
    expect(covered.code).toBe(0);
    expect(covered.stdout).toMatch(/COMPLETE/);
    expect(covered.stdout).toMatch(/100\.0%/);
    expect(badDate).toMatchObject({ code: 2, stdout: '' });
    expect(badDate.stderr).toBe('evidence-worker: --from: expected a date as YYYY-MM-DD, got "2026-02-30"\n');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringContaining('unknown stream "nope"')]);
  });
});

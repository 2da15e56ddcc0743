import { describe, expect, it } from 'vitest';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStoreUrl } from '../support/stores.js';

describe('evidence-worker checks', () => {
  it('lists every check with id@version, criteria, streams and the policy in force', async () => {
    const config = writeConfig(
      `store:\n  url: ${freshStoreUrl('sqlite')}\nchecks:\n  change-review:\n    reviewedAnywhere: true\n`,
    );
    const listed = await runCli(['--config', config, 'checks', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as {
      id: string;
      version: number;
      policy: Record<string, unknown>;
      active: boolean;
      codes: Record<string, { means: string; status: string; kind?: string }>;
    }[];
    const review = rows.find((row) => row.id === 'change-review');
    expect(review).toMatchObject({
      version: 1,
      active: false,
      policy: { reviewedAnywhere: true, requiredApprovals: 1 },
    });
    // Every code in one shape, whether declared as a sentence or as a whole declaration.
    for (const row of rows)
      for (const entry of Object.values(row.codes)) expect(typeof entry.means, row.id).toBe('string');
    expect(rows.find((row) => row.id === 'change-ticket-linked')?.codes).toMatchObject({
      ticket_evidence_not_collected: { status: 'pending' },
    });
    const text = await runCli(['--config', config, 'checks']);
    expect(text.stdout).toMatch(/^change-review@1 {2}Production change review/m);
    expect(text.stdout).toContain('reads: github-production-changes');
  });

  it('runs the checks over a period and prints findings per check', async () => {
    const config = writeConfig(`store:\n  url: ${freshStoreUrl('sqlite')}\n`);
    const run = await runCli(['--config', config, 'checks', 'run', '--period', '2026-Q2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ period: '2026-Q2', findings: [] });
  });
});

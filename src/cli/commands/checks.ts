import type { declaredCode } from '../../checks/check-codes.js';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CheckInstance } from '../../checks/check-set.js';
import type { PeriodFindings } from '../../checks/judge-period.js';
import { auditPeriodArguments, resolveAuditPeriod } from '../../export/audit-period.js';
import { parseArguments } from '../../export/cli-arguments.js';
import { FROM_OPTION, PERIOD_OPTION, TO_OPTION, refuseFuturePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

const runArguments = z.object({
  ...auditPeriodArguments,
  check: z.array(z.string()).default([]),
  json: z.boolean().optional(),
});

const collectList = (value: string, previous: string[]) => [...previous, value];

function describe(check: CheckInstance, collected: ReadonlySet<string>, codeOf: typeof declaredCode) {
  const { definition } = check;
  return {
    id: check.id,
    version: check.version,
    title: definition.title,
    description: definition.description,
    criteria: definition.criteria,
    isoControls: definition.isoControls,
    streams: definition.streams,
    active: check.enabled && definition.streams.some((stream) => collected.has(stream)),
    enabled: check.enabled,
    policy: check.policy,
    // One shape for every code, whether the check declared a sentence or a whole declaration; the kind is
    // given only where declared (otherwise it follows the kind of the finding's stream).
    codes: Object.fromEntries(Object.entries(definition.codes).map(([code, entry]) => [code, codeOf(entry)])),
  };
}

function printFindings(findings: PeriodFindings, only: ReadonlySet<string>): void {
  for (const check of findings.checks) {
    if (only.size > 0 && !only.has(check.id)) continue;
    const own = findings.forCheck(check.id);
    console.log(`${check.ref}  ${check.definition.title}: ${own.length} finding(s)`);
    for (const finding of own)
      console.log(
        `  ${new Date(finding.occurredAt).toISOString()}  ${finding.code}  ${finding.keys[0] ?? ''}  ${finding.description}`,
      );
  }
}

export const checksCommand: CliCommand = {
  name: 'checks',
  register(program: Command) {
    const checks = program
      .command('checks')
      .description('list the checks that judge the evidence: id@version, criteria, streams, policy in force')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }, command: Command) => {
        const { openApp } = await import('../../app.js');
        const { declaredCode } = await import('../../checks/check-codes.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const collected = new Set(app.registry.streams.map((stream) => stream.id));
          const rows = app.checks.checks.map((check) => describe(check, collected, declaredCode));
          if (options.json) {
            console.log(JSON.stringify(rows, null, 2));
            return;
          }
          for (const row of rows) {
            const state = !row.enabled ? 'disabled' : row.active ? 'active' : 'inactive: no stream collected';
            console.log(`${row.id}@${row.version}  ${row.title}  (${state})`);
            console.log(`  ${row.description}`);
            console.log(
              `  SOC 2: ${row.criteria.join(', ')}   ISO 27001:2022: ${row.isoControls.join(', ')}`,
            );
            console.log(`  reads: ${row.streams.join(', ')}`);
            console.log(`  policy: ${JSON.stringify(row.policy)}`);
          }
        } finally {
          await app.close();
        }
      });
    checks
      .command('run')
      .description('judge a period with every active check and print the findings per check')
      .option(...PERIOD_OPTION)
      .option(...FROM_OPTION)
      .option(...TO_OPTION)
      .option('--check <id>', 'only this check (repeatable)', collectList, [])
      .option('--json', 'print JSON')
      .action(async (_options: unknown, command: Command) => {
        // `--json` is also the parent's option, so commander hands it to `checks`: read both levels.
        const args = parseArguments(runArguments, command.optsWithGlobals());
        const period = resolveAuditPeriod(args);
        refuseFuturePeriod(period, args.period === undefined ? '--from' : '--period');
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          // Unknown ids fail before the store is read: one line, exit 2.
          for (const id of args.check) app.checks.check(id);
          const findings = await app.findings(period);
          const only = new Set(args.check);
          if (args.json) {
            const selected = findings.findings.filter(
              (finding) => only.size === 0 || only.has(finding.check),
            );
            console.log(JSON.stringify({ period: period.label, findings: selected }, null, 2));
          } else {
            console.log(`findings for ${period.label}:`);
            printFindings(findings, only);
          }
        } finally {
          await app.close();
        }
      });
  },
};

import type { Command } from 'commander';
import { z } from 'zod';
import { auditPeriodArguments, resolveAuditPeriod } from '../../export/audit-period.js';
import { parseArguments } from '../../export/cli-arguments.js';
import { FROM_OPTION, PERIOD_OPTION, TO_OPTION, refuseFuturePeriod } from '../args.js';
import type { CliCommand, GlobalOptions } from '../command.js';

const readinessArguments = z.object({
  ...auditPeriodArguments,
  json: z.boolean().optional(),
});

export const readinessCommand: CliCommand = {
  name: 'readiness',
  register(program: Command) {
    program
      .command('readiness')
      .description(
        'criteria in scope, what evidences each, continuity and exceptions; criteria with no evidence; ISO reuse view',
      )
      .option(...PERIOD_OPTION)
      .option(...FROM_OPTION)
      .option(...TO_OPTION)
      .option('--json', 'print JSON')
      .action(async (options: unknown, command: Command) => {
        const args = parseArguments(readinessArguments, options);
        const period = resolveAuditPeriod(args);
        refuseFuturePeriod(period, args.period === undefined ? '--from' : '--period');
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        try {
          const { assessReadiness } = await import('../../readiness/readiness.js');
          const readiness = await assessReadiness(app, period);
          const { formatReadiness } = await import('../../readiness/format-readiness.js');
          if (!args.json) console.log(formatReadiness(readiness));
          else
            console.log(
              JSON.stringify(
                {
                  period: {
                    label: period.label,
                    start: new Date(period.start).toISOString(),
                    end: new Date(period.end).toISOString(),
                  },
                  categories: readiness.categories,
                  criteria: readiness.criteria.map((row) => ({
                    criterion: row.criterion,
                    category: row.category,
                    origins: row.origins.map((pair) => ({
                      control: pair.iso_control_id,
                      origin: pair.origin,
                      source: pair.source,
                    })),
                    streams: row.streams.map((entry) => entry.stream.id),
                    artefacts: row.artefacts.map((entry) => ({
                      type: entry.type.type,
                      period: entry.artefact.period_label,
                      file: entry.artefact.file_name,
                    })),
                    population: row.population,
                    // As the index counts them: an item pending evidence or unreadable is no deviation.
                    itemsWithDeviations: row.flagged.deviation,
                    itemsPendingCollection: row.flagged['evidence pending collection'],
                    itemsUnreadable: row.flagged['evidence unreadable'],
                    continuityPercent: row.continuityPercent,
                    evidenced: row.evidenced,
                  })),
                  unevidenced: readiness.unevidenced,
                  reuse: readiness.reuse.map((row) => ({
                    control: row.control,
                    title: row.title,
                    criteria: row.criteria.map((pair) => pair.tsc_criterion_id),
                    criteriaInScope: row.criteriaInScope,
                    streams: row.streams,
                    artefacts: row.artefacts,
                    evidenceExists: row.evidenceExists,
                  })),
                  continuity: readiness.continuity,
                },
                null,
                2,
              ),
            );
        } finally {
          await app.close();
        }
      });
  },
};

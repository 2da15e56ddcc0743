import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { CliCommand, GlobalOptions } from '../command.js';

export const catalogCommand: CliCommand = {
  name: 'catalog',
  register(program: Command) {
    program
      .command('catalog')
      .argument('<id>', 'a TSC 2017 criterion (CC6.1) or an ISO 27001:2022 Annex A control (A.8.32)')
      .description(
        'show a criterion with its ISO origins and streams, or a control with the criteria it supports',
      )
      .action(async (id: string, _options: unknown, command: Command) => {
        const { openStreamListing } = await import('../../stream-listing.js');
        const listing = await openStreamListing({
          configPath: command.optsWithGlobals<GlobalOptions>().config,
        });
        const { catalogue } = listing;
        // Collected streams and the streams a registered artefact brings, matched alike.
        const everyStream = [
          ...listing.streams,
          ...listing.artefactStreams.map((stream) => ({ ...stream, ...stream.definition })),
        ];
        const criterion = catalogue.criteria.get(id);
        const control = catalogue.controls.get(id);
        if (criterion) {
          console.log(`${criterion.criterion_id}  ${criterion.short_title}`);
          console.log(`  ${criterion.category} / ${criterion.series} ${criterion.series_name}`);
          const origins = catalogue.originsOf(id);
          console.log(`ISO 27001:2022 origins (${origins.length}):`);
          for (const pair of origins) {
            const title = catalogue.controls.get(pair.iso_control_id)?.title ?? '';
            console.log(
              `  ${pair.iso_control_id}  ${title}  [${pair.relationship}; ${pair.origin}: ${pair.source}]${pair.note ? ` (${pair.note})` : ''}`,
            );
          }
          const streams = everyStream.filter((stream) => stream.criteria.includes(id));
          console.log(`Streams that evidence it (${streams.length}):`);
          for (const stream of streams) console.log(`  ${stream.id}  ${stream.definition.population}`);
        } else if (control) {
          console.log(`${control.control_id}  ${control.title}  (${control.theme})`);
          const pairs = catalogue.criteriaOf(id);
          console.log(`SOC 2 criteria it may support (${pairs.length}):`);
          for (const pair of pairs) {
            const title = catalogue.criteria.get(pair.tsc_criterion_id)?.short_title ?? '';
            console.log(
              `  ${pair.tsc_criterion_id}  ${title}  [${pair.relationship}; ${pair.origin}: ${pair.source}]${pair.note ? ` (${pair.note})` : ''}`,
            );
          }
          const streams = everyStream.filter((stream) => stream.isoControls.includes(id));
          console.log(`Streams that evidence it (${streams.length}):`);
          for (const stream of streams) console.log(`  ${stream.id}  ${stream.definition.population}`);
        } else {
          throw new UsageError(
            `catalog: "${id}" is neither a TSC 2017 criterion (e.g. CC6.1) nor an ISO 27001:2022 Annex A control (e.g. A.8.32)`,
          );
        }
      });
  },
};

import type { Command } from 'commander';
import { formatDuration } from '../../time.js';
import type { CliCommand, GlobalOptions } from '../command.js';

export const streamsCommand: CliCommand = {
  name: 'streams',
  register(program: Command) {
    program
      .command('streams')
      .description('list the configured streams with their criteria, controls, cadence and population')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }, command: Command) => {
        const { openStreamListing } = await import('../../stream-listing.js');
        const listing = await openStreamListing({
          configPath: command.optsWithGlobals<GlobalOptions>().config,
        });
        const rows = listing.streams.map((stream) => ({
          id: stream.id,
          connector: stream.connector.id,
          kind: stream.definition.kind,
          criteria: stream.criteria,
          isoControls: stream.isoControls,
          cadence: formatDuration(stream.cadenceMs),
          silenceThreshold: formatDuration(stream.silenceThresholdMs),
          population: stream.definition.population,
        }));
        // Facts a registered artefact brings: its recurrence, not a collection cadence, says when they are due.
        const fromArtefacts = listing.artefactStreams.map((stream) => ({
          id: stream.definition.id,
          connector: 'artefacts',
          kind: 'artefact' as const,
          artefactType: stream.artefactType,
          recurrence: stream.recurrence,
          criteria: stream.definition.criteria,
          isoControls: stream.definition.isoControls,
          population: stream.definition.population,
        }));
        if (options.json) {
          console.log(JSON.stringify([...rows, ...fromArtefacts], null, 2));
          return;
        }
        if (rows.length === 0)
          console.log(
            'No streams are configured: add a connector section under "connectors:" in the config.',
          );
        const print = (head: string, row: (typeof rows | typeof fromArtefacts)[number]) => {
          console.log(head);
          console.log(`  SOC 2: ${row.criteria.join(', ')}   ISO 27001:2022: ${row.isoControls.join(', ')}`);
          console.log(`  population: ${row.population}`);
        };
        for (const row of rows) print(`${row.id}  (${row.kind}, every ${row.cadence})`, row);
        for (const row of fromArtefacts)
          print(
            `${row.id}  (artefact, ${row.recurrence}: recorded by "artefacts add FILE --type ${row.artefactType} --period P", never collected)`,
            row,
          );
      });
  },
};

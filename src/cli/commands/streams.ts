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
        if (options.json) {
          console.log(JSON.stringify(rows, null, 2));
        } else if (rows.length === 0) {
          console.log(
            'No streams are configured: add a connector section under "connectors:" in the config.',
          );
        } else {
          for (const row of rows) {
            console.log(`${row.id}  (${row.kind}, every ${row.cadence})`);
            console.log(
              `  SOC 2: ${row.criteria.join(', ')}   ISO 27001:2022: ${row.isoControls.join(', ')}`,
            );
            console.log(`  population: ${row.population}`);
          }
        }
      });
  },
};

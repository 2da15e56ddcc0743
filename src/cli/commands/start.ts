import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Role } from '../../service.js';
import type { CliCommand, GlobalOptions } from '../command.js';

export const startCommand: CliCommand = {
  name: 'start',
  register(program: Command) {
    program
      .command('start')
      .description('run the background service: planner, workers, continuity checker and HTTP status surface')
      .option('--role <role>', 'planner, worker or all', 'all')
      .action(async (options: { role: string }, command: Command) => {
        if (!['planner', 'worker', 'all'].includes(options.role)) {
          throw new UsageError(`--role: expected planner, worker or all, got "${options.role}"`);
        }
        const { openApp } = await import('../../app.js');
        const app = await openApp({ configPath: command.optsWithGlobals<GlobalOptions>().config });
        await app.checkCredentials();
        const { registerServiceParts } = await import('../../service-parts.js');
        registerServiceParts();
        const { startService } = await import('../../service.js');
        // The handlers go in before the service starts: its workers may take a window before every part
        // is up, and a SIGTERM then must still let that window finish, not kill the process mid-write.
        const starting = startService(app, options.role as Role);
        let stopping = false;
        const shutdown = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          app.logger.info({ signal }, 'shutting down: finishing active windows');
          const service = await starting;
          await service.stop();
          await app.close();
          app.logger.info('stopped');
        };
        process.once('SIGTERM', () => void shutdown('SIGTERM'));
        process.once('SIGINT', () => void shutdown('SIGINT'));
        await starting;
      });
  },
};

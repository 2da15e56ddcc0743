import type { Command } from 'commander';
import type { CliCommand } from '../command.js';

// Placeholder until its issue lands; replaced by the real command.
export const sampleCommand: CliCommand = {
  name: 'sample',
  register(_program: Command) {},
};

import { z } from 'zod';
import { countedComponent } from '../../src/export/system-description/counted.js';
import type { SystemDescriber } from '../../src/export/system-description/describer.js';
import type { LinearConfig } from './config.js';

const TICKETS = 'linear-change-tickets';
const ticket = z.object({ team: z.string() });

/** The Linear teams in scope (config) and the change tickets of the period (store). */
export const describeLinear: SystemDescriber<LinearConfig> = async (input) => {
  const { teams } = input.config;
  return {
    software: await countedComponent(input, {
      stream: TICKETS,
      groupOf: (payload) => ticket.safeParse(payload).data?.team,
      text: (total) =>
        `Change management in Linear, teams ${teams.join(', ')} in scope: ${total} change tickets created or updated in the period.`,
      headers: ['Linear team', 'Change tickets'],
      missing: 'Linear change tickets are not collected; describe where changes are requested and approved',
    }),
    exclusions: [`Linear teams other than ${teams.join(', ')}`],
  };
};

import { z } from 'zod';
import { countedComponent } from '../../src/export/system-description/counted.js';
import type { SystemDescriber } from '../../src/export/system-description/describer.js';
import type { JiraConfig } from './config.js';

const TICKETS = 'jira-change-tickets';
const ticket = z.object({ project: z.object({ key: z.string() }) });

/** The Jira site and change projects in scope (config) and the change tickets of the period (store). */
export const describeJira: SystemDescriber<JiraConfig> = async (input) => {
  const { site, projects, jql } = input.config;
  const scope = [
    ...(projects ? [`change projects ${projects.join(', ')}`] : []),
    ...(jql ? [`the issues of the JQL filter "${jql}"`] : []),
  ].join(' and ');
  return {
    software: await countedComponent(input, {
      stream: TICKETS,
      groupOf: (payload) => ticket.safeParse(payload).data?.project.key,
      text: (total) =>
        `Change management in Jira Cloud (${site}), ${scope} in scope: ${total} change tickets created or updated in the period.`,
      headers: ['Jira project', 'Change tickets'],
      missing: `Jira change tickets of ${site} are not collected; describe where changes are requested and approved`,
    }),
    exclusions: projects ? [`Jira projects other than ${projects.join(', ')}`] : [],
  };
};

import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../../src/checks/check.js';
import { fixtureChecks, fixtureConnector, productionChanges } from './fixture-connector.js';

const dayOf = (key: string) => Math.floor(Date.parse(key.slice(4, 14)) / 86_400_000);

const commit = z.object({ sha: z.string() });

/**
 * As the ticket checks do when a ticket stream is not yet collected as far as the changes: every third
 * day's second commit is pending its ticket (on days divisible by 5 that commit is self-approved too).
 */
export const pendingTicketCheck = defineCheck({
  id: 'fixture-change-ticket',
  version: 1,
  title: 'Fixture change ticket',
  description: 'every fixture commit links an approved ticket',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [productionChanges.id],
  // Declared pending by this check itself: the core names no check's codes.
  codes: {
    ticket_evidence_not_collected: {
      means: 'the ticket stream is not yet collected over the span',
      status: 'pending',
    },
  },
  policy: z.object({}).strict(),
  judge: judgeEachItem(productionChanges.id, commit, (fact) =>
    fact.key.endsWith('-1') && dayOf(fact.key) % 3 === 0
      ? [
          {
            code: 'ticket_evidence_not_collected',
            description: 'jira is not yet collected over the span its ticket may lie in',
          },
        ]
      : [],
  ),
});

/** Reads the message as plain change text: the first commit of each day (a hostile message) is unreadable. */
export const messageCheck = defineCheck({
  id: 'fixture-change-message',
  version: 1,
  title: 'Fixture change message',
  description: 'every fixture commit message names its change',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [productionChanges.id],
  codes: {},
  policy: z.object({}).strict(),
  judge: judgeEachItem(productionChanges.id, z.object({ message: z.string().regex(/^change /) }), () => []),
});

/** For `modules:` in a config file: the audit fixture with checks that give pending and unreadable findings. */
export const connector = fixtureConnector;
export const checks = [...fixtureChecks, pendingTicketCheck, messageCheck];

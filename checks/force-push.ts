import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';
import { PRODUCTION_CHANGES, productionChangeFactsSchema } from './support/production-change-facts.js';

const CODES = { force_push: 'the default branch was rewritten by a force push' } as const;

export const forcePush = defineCheck({
  id: 'force-push',
  version: 1,
  title: 'Default branch rewritten',
  description:
    'No default branch of an in-scope repository was rewritten by a force push, which would remove reviewed history from production.',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [PRODUCTION_CHANGES],
  codes: CODES,
  policy: z.object({}).strict(),
  judge: judgeEachItem(PRODUCTION_CHANGES, productionChangeFactsSchema, (fact) =>
    fact.payload.type === 'force_push'
      ? [
          {
            code: 'force_push',
            description: `${fact.payload.actor ?? 'someone'} force-pushed ${fact.payload.branch} of ${fact.payload.repo} from ${fact.payload.before.slice(0, 7)} to ${fact.payload.after.slice(0, 7)}`,
          },
        ]
      : [],
  ),
});

import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../src/checks/check.js';

const STREAM = 'github-org-access';

const CODES = {
  member_without_2fa:
    'an organisation member or outside collaborator has not enabled two-factor authentication',
  '2fa_status_not_visible': {
    means: 'the 2FA status of the organisation could not be read, so it is not evidenced',
    status: 'unreadable',
  },
} as const;

const factsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('observation'), login: z.string(), twoFactor: z.string() }),
  z.object({ type: z.literal('change') }),
  z.object({ type: z.literal('two_factor_not_visible'), description: z.string() }),
  // A read that listed nobody: nothing to judge, and no unreadable fact either.
  z.object({ type: z.literal('empty') }),
  // Written before checks existed.
  z.object({ type: z.literal('finding'), code: z.string(), description: z.string() }),
]);

export const orgTwoFactor = defineCheck({
  id: 'org-two-factor',
  version: 1,
  title: 'GitHub two-factor authentication',
  description:
    'Every member and outside collaborator of the GitHub organisation had two-factor authentication enabled on every observed day.',
  criteria: ['CC6.1'],
  isoControls: ['A.5.17', 'A.8.5'],
  streams: [STREAM],
  codes: CODES,
  policy: z.object({}).strict(),
  judge: judgeEachItem(STREAM, factsSchema, (fact) => {
    const facts = fact.payload;
    if (facts.type === 'observation' && facts.twoFactor === 'disabled')
      return [
        {
          code: 'member_without_2fa',
          description: `${facts.login} has not enabled two-factor authentication`,
          // The member, so each day's observation of the same login is one condition.
          subject: facts.login,
        },
      ];
    if (
      facts.type === 'two_factor_not_visible' ||
      (facts.type === 'finding' && facts.code === '2fa_status_not_visible')
    )
      return [
        {
          code: '2fa_status_not_visible',
          description: facts.description,
          subject: 'organisation 2FA status',
        },
      ];
    return [];
  }),
});

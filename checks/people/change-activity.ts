import { z } from 'zod';
import type { FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import type { AccountEvent } from './removal-events.js';

export const PRODUCTION_CHANGES = 'github-production-changes';

// Loose on purpose: only who landed the change and when, in either stored shape of a production change.
const changeSchema = z.looseObject({
  type: z.string(),
  repo: z.string().optional(),
  sha: z.string().optional(),
  author: z.looseObject({ login: z.string().nullable() }).optional(),
  pullRequests: z
    .array(
      z.looseObject({ number: z.number(), mergedBy: z.string().nullable(), mergedAt: z.string().nullable() }),
    )
    .optional(),
});

/**
 * Production changes as use of a GitHub account: the merge of a pull request is its merger's act at the
 * merge time; a commit that landed without a pull request was pushed by its author when it landed. A
 * leaver's pull request merged later by someone else is not use of the leaver's account.
 */
export async function changeActivity(facts: FactsReader, range: Window): Promise<AccountEvent[]> {
  const activity: AccountEvent[] = [];
  if (!facts.collected(PRODUCTION_CHANGES)) return activity;
  for await (const { payload: change, occurredAt } of facts.items(PRODUCTION_CHANGES, range, changeSchema)) {
    if (change.type !== 'commit' || !change.repo || !change.sha) continue;
    const name = `${change.repo}@${change.sha.slice(0, 7)}`;
    const merged = (change.pullRequests ?? []).filter((pr) => pr.mergedBy && pr.mergedAt);
    for (const pr of merged)
      activity.push({
        system: 'GitHub',
        accountId: pr.mergedBy!,
        at: Date.parse(pr.mergedAt!),
        evidence: `production change ${name}: pull request #${pr.number} merged by ${pr.mergedBy}`,
      });
    const pusher = change.author?.login;
    if (!merged.length && pusher)
      activity.push({
        system: 'GitHub',
        accountId: pusher,
        at: occurredAt,
        evidence: `production change ${name} pushed by ${pusher} without a pull request`,
      });
  }
  return activity;
}

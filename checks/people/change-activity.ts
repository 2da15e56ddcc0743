import type { FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import { PRODUCTION_CHANGES, productionChangeFactsSchema } from '../support/production-change-facts.js';
import type { AccountEvent } from './removal-events.js';

export { PRODUCTION_CHANGES };

/**
 * Production changes as use of a GitHub account: the merge of a pull request is its merger's act at the
 * merge time; a commit that landed without a pull request was pushed by its author when it landed. A
 * leaver's pull request merged later by someone else is not use of the leaver's account.
 */
export async function changeActivity(facts: FactsReader, range: Window): Promise<AccountEvent[]> {
  const activity: AccountEvent[] = [];
  if (!facts.collected(PRODUCTION_CHANGES)) return activity;
  // Both stored shapes of a production change (the schema the change checks read), legacy ones included.
  const changes = facts.items(PRODUCTION_CHANGES, range, productionChangeFactsSchema);
  for await (const { payload: change, occurredAt } of changes) {
    if (change.type !== 'commit') continue;
    const name = `${change.repo}@${change.sha.slice(0, 7)}`;
    const merged = change.pullRequests.filter((pr) => pr.mergedBy && pr.mergedAt);
    for (const pr of merged)
      activity.push({
        system: 'GitHub',
        accountId: pr.mergedBy!,
        at: Date.parse(pr.mergedAt!),
        evidence: `production change ${name}: pull request #${pr.number} merged by ${pr.mergedBy}`,
      });
    const pusher = change.commitAuthor;
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

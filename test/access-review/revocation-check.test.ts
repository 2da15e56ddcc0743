import { describe, expect, it } from 'vitest';
import { accessReviewRevocation } from '../../checks/access-review-revocation.js';
import type { ReviewDecision } from '../../src/artefacts/review-decision-fact.js';
import { REVIEW_DECISIONS_STREAM, reviewDecisionKey } from '../../src/artefacts/review-decision-fact.js';
import { DAY, parseDay } from '../../src/time.js';
import { judgeItems, type MemoryItem } from '../support/memory-facts.js';

const Q3 = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) };
const Q4 = { start: Date.UTC(2026, 9, 1), end: Date.UTC(2027, 0, 1) };

function revoke(account: string, reviewedOn: string, row: number): MemoryItem {
  const decision: ReviewDecision = {
    period: '2026-Q3',
    system: 'GitHub',
    account,
    person: null,
    decision: 'revoke',
    reviewer: 'Alice Anderson',
    reviewedOn,
    comment: null,
    workbookSha256: 'f'.repeat(64),
    workbookRow: row,
  };
  return { key: reviewDecisionKey(decision), occurredAt: parseDay(reviewedOn)!, payload: decision };
}

/** One org-access snapshot a day: each listed member observed that day. */
function snapshots(days: Record<string, readonly string[]>): MemoryItem[] {
  return Object.entries(days).flatMap(([day, logins]) =>
    logins.map((login) => ({
      key: `${day}/${login}`,
      occurredAt: parseDay(day)!,
      payload: { type: 'observation', login, kind: 'member', role: 'member', twoFactor: 'enabled' },
    })),
  );
}

describe('access-review-revocation', () => {
  const decisions = [revoke('gone-in-time', '2026-09-10', 2), revoke('stays', '2026-09-10', 3)];
  const org = snapshots({
    '2026-09-10': ['gone-in-time', 'stays', 'other'],
    '2026-09-15': ['stays', 'other'],
    '2026-09-17': ['stays', 'other'],
  });

  it('a member missing from a snapshot before the deadline was removed in time; one still listed after it was not', async () => {
    const findings = await judgeItems(
      accessReviewRevocation,
      { [REVIEW_DECISIONS_STREAM]: decisions, 'github-org-access': org },
      {},
      Q3,
    );
    expect(findings.map((finding) => [finding.code, finding.keys])).toEqual([
      ['review_revocation_not_done', ['2026-Q3/GitHub/stays', '2026-09-17/stays']],
    ]);
    expect(findings[0]!.occurredAt).toBe(parseDay('2026-09-17'));
  });

  it('a decision is judged in the period its deadline falls in', async () => {
    const late = [revoke('stays', '2026-09-28', 2)];
    const streams = {
      [REVIEW_DECISIONS_STREAM]: late,
      'github-org-access': snapshots({ '2026-09-28': ['stays'], '2026-10-06': ['stays'] }),
    };
    expect(await judgeItems(accessReviewRevocation, streams, {}, Q3)).toEqual([]);
    const q4 = await judgeItems(accessReviewRevocation, streams, {}, Q4);
    expect(q4.map((finding) => finding.code)).toEqual(['review_revocation_not_done']);
    expect(q4[0]!.occurredAt).toBe(parseDay('2026-09-28')! + 7 * DAY);
  });

  it('without an observation between the last active one and the deadline, the removal is not evidenced', async () => {
    const streams = {
      [REVIEW_DECISIONS_STREAM]: [revoke('gone-late', '2026-09-10', 2)],
      'github-org-access': snapshots({ '2026-09-10': ['gone-late', 'other'], '2026-09-25': ['other'] }),
    };
    const findings = await judgeItems(accessReviewRevocation, streams, {}, Q3);
    expect(findings.map((finding) => finding.code)).toEqual(['review_revocation_not_evidenced']);
    expect(findings[0]!.description).toContain('first seen gone on 2026-09-25');
    // With a longer SLA the 09-25 snapshot is within it: removed in time.
    expect(await judgeItems(accessReviewRevocation, streams, { sla: '15d' }, Q3)).toEqual([]);
  });

  it('keep decisions are not expectations, and a bad SLA stops start-up', async () => {
    const kept = {
      ...revoke('stays', '2026-09-10', 2),
      payload: { ...(revoke('stays', '2026-09-10', 2).payload as ReviewDecision), decision: 'keep' },
    };
    expect(
      await judgeItems(
        accessReviewRevocation,
        { [REVIEW_DECISIONS_STREAM]: [kept], 'github-org-access': org },
        {},
        Q3,
      ),
    ).toEqual([]);
    await expect(judgeItems(accessReviewRevocation, {}, { sla: 'a week' })).rejects.toThrow(
      /checks\.access-review-revocation\.sla: expected a duration like "7d" or "48h"/,
    );
  });
});

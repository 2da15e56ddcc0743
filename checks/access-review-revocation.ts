import { z } from 'zod';
import {
  REVIEW_DECISIONS_STREAM,
  reviewDecisionSchema,
  type ReviewDecision,
} from '../src/artefacts/review-decision-fact.js';
import { defineCheck, type Fact, type FactsReader } from '../src/checks/check.js';
import { DAY, durationSchema, parseDuration, type Window } from '../src/time.js';
import { adaptersFor } from './people/register.js';
import { grantsAccess } from './people/account.js';

const CODES = {
  review_revocation_not_done: {
    means: 'the access review decided to revoke an account, and the account still held access after the SLA',
    kind: 'event',
  },
  review_revocation_not_evidenced: {
    means:
      'the access review decided to revoke an account, and no observation of its system between its last active day and the SLA deadline shows it gone (a collection gap)',
    status: 'pending',
    kind: 'event',
  },
} as const;

const policy = z
  .object({
    /** Time from the review date to the account being gone: "7d", "48h". */
    sla: z
      .string()
      .default('7d')
      .refine((text) => durationSchema.safeParse(text).success, 'expected a duration like "7d" or "48h"'),
  })
  .strict();
type Policy = z.infer<typeof policy>;

// Only the system and account id matter here: linking to people (mappings, tags) does not.
const ADAPTERS = adaptersFor({ mappings: [], serviceAccounts: [], iamEmailTag: 'email' });

const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const refOf = (system: string, account: string) => `${system}\u0000${account}`;

interface Revoke {
  readonly fact: Fact<ReviewDecision>;
  readonly deadline: number;
}

interface Trail {
  /** Per account: the first observation at or after its deadline in which it still held access. */
  readonly activeAfterDeadline: Map<string, { at: number; key: string }>;
  /** Per account: the last observation before its deadline in which it held access. */
  readonly lastActiveBefore: Map<string, number>;
  /** Per account stream: when it was observed at all (snapshot days), ascending. */
  readonly observedAt: Map<string, number[]>;
  /** Which stream holds the accounts of each system. */
  readonly streamOf: Map<string, string>;
}

/** What the account streams say about the revoked accounts from the first review on. */
async function accountTrail(facts: FactsReader, range: Window, due: ReadonlyMap<string, number>) {
  const trail: Trail = {
    activeAfterDeadline: new Map(),
    lastActiveBefore: new Map(),
    observedAt: new Map(),
    streamOf: new Map(),
  };
  for (const adapter of ADAPTERS) {
    if (!facts.collected(adapter.stream)) continue;
    const times: number[] = [];
    trail.observedAt.set(adapter.stream, times);
    for await (const fact of facts.items(adapter.stream, range, adapter.schema)) {
      if (times.at(-1) !== fact.occurredAt) times.push(fact.occurredAt);
      for (const record of adapter.toAccounts(fact.payload)) {
        trail.streamOf.set(record.system, adapter.stream);
        const ref = refOf(record.system, record.accountId);
        const deadline = due.get(ref);
        if (deadline === undefined || !grantsAccess(record)) continue;
        if (fact.occurredAt < deadline) trail.lastActiveBefore.set(ref, fact.occurredAt);
        else if (!trail.activeAfterDeadline.has(ref))
          trail.activeAfterDeadline.set(ref, { at: fact.occurredAt, key: fact.key });
      }
    }
  }
  return trail;
}

export const accessReviewRevocation = defineCheck<Policy>({
  id: 'access-review-revocation',
  version: 1,
  title: 'Access review revocations carried out',
  description:
    'Every account the quarterly access review decided to revoke is gone (or deactivated) in its system within the SLA after the review date, as the daily account observations show.',
  criteria: ['CC6.2', 'CC6.3'],
  isoControls: ['A.5.18', 'A.8.2'],
  streams: [REVIEW_DECISIONS_STREAM, ...ADAPTERS.map((adapter) => adapter.stream)],
  codes: CODES,
  policy,
  // A decision is judged in the period its deadline falls in, so a late-quarter review is not lost.
  async *judge({ facts, period, policy: rules }) {
    const sla = parseDuration(rules.sla);
    const revokes: Revoke[] = [];
    const range = { start: period.start - sla, end: period.end };
    for await (const fact of facts.items(REVIEW_DECISIONS_STREAM, range, reviewDecisionSchema)) {
      const deadline = fact.occurredAt + sla;
      if (fact.payload.decision === 'revoke' && deadline >= period.start && deadline < period.end)
        revokes.push({ fact, deadline });
    }
    if (revokes.length === 0) return;

    const due = new Map(
      revokes.map(({ fact, deadline }) => [refOf(fact.payload.system, fact.payload.account), deadline]),
    );
    const firstReview = Math.min(...revokes.map(({ fact }) => fact.occurredAt));
    const trail = await accountTrail(facts, { start: firstReview, end: period.end }, due);

    for (const { fact, deadline } of revokes) {
      const decision = fact.payload;
      const ref = refOf(decision.system, decision.account);
      const what = `${decision.system} account ${decision.account}`;
      const why = `${decision.reviewer} decided to revoke it in the ${decision.period} access review on ${decision.reviewedOn} (workbook row ${decision.workbookRow}); due by ${day(deadline)} (SLA ${rules.sla})`;
      const base = {
        stream: fact.stream,
        occurredAt: deadline,
        subject: decision.person ?? decision.account,
      };
      const active = trail.activeAfterDeadline.get(ref);
      if (active) {
        const late = Math.floor((active.at - fact.occurredAt) / DAY);
        yield {
          ...base,
          code: 'review_revocation_not_done',
          keys: [fact.key, active.key],
          description: `${what} still held access on ${day(active.at)}, ${late} days after the review: ${why}`,
        };
        continue;
      }
      // Removal in time needs an observation of the system, after the last one with the account active
      // and no later than the deadline, that no longer shows it active.
      const lastActive = trail.lastActiveBefore.get(ref) ?? fact.occurredAt - 1;
      const stream = trail.streamOf.get(decision.system);
      const observed = (stream === undefined ? undefined : trail.observedAt.get(stream)) ?? [];
      if (observed.some((at) => at > lastActive && at <= deadline)) continue;
      const after = observed.find((at) => at > deadline);
      yield {
        ...base,
        code: 'review_revocation_not_evidenced',
        keys: [fact.key],
        description: `${what}: no observation of ${decision.system} between ${day(Math.max(lastActive, fact.occurredAt))} and ${day(deadline)} shows it gone (${after === undefined ? 'none since' : `first seen gone on ${day(after)}`}): ${why}`,
      };
    }
  },
});

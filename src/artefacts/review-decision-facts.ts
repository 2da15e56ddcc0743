import type { Logger } from 'pino';
import { z } from 'zod';
import { CollectionRunner, type CollectOutcome } from '../collection/runner.js';
import { LocalLimiter } from '../limiter.js';
import type { StreamInstance } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import { defineConnector, defineStream, type AnyConnector } from '../stream.js';
import { DAY, alignDown, parseDay, type Clock, type Window } from '../time.js';
import {
  REVIEW_DECISIONS_STREAM,
  reviewDecisionKey,
  reviewDecisionSchema,
  type ReviewDecision,
} from './review-decision-fact.js';

// The source is the registered workbook itself, read before the run: the stream only hands its rows on.
const decisionStream = defineStream<readonly ReviewDecision[], ReviewDecision>({
  id: REVIEW_DECISIONS_STREAM,
  description:
    'Every decision of every registered access review workbook (artefacts add --type access-review)',
  kind: 'events',
  population:
    'Every account decision (keep or revoke) of each completed quarterly access review, with reviewer, date and the workbook row it is on.',
  evidenceName: 'Access_Review_Decisions',
  criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
  isoControls: ['A.5.15', 'A.5.18', 'A.8.2'],
  cadence: '1d',
  silenceThreshold: '92d',
  sourceLag: '0s',
  retention: () => ({ kind: 'forever', reason: 'the workbook is kept in the artefact locker' }),
  itemSchema: reviewDecisionSchema,
  async *collect(_window, _cursor, ctx) {
    for (const decision of ctx.client)
      yield {
        key: reviewDecisionKey(decision),
        occurredAt: parseDay(decision.reviewedOn)!,
        payload: decision,
        source: `workbook row ${decision.workbookRow}`,
      };
  },
});

const artefactSource: AnyConnector = defineConnector<Record<string, never>, readonly ReviewDecision[]>({
  id: 'artefacts',
  description: 'registered ISO artefacts whose rows are facts',
  configSchema: z.object({}).strict(),
  createClient: () => [],
  streams: [decisionStream],
});

const instance: StreamInstance = {
  id: REVIEW_DECISIONS_STREAM,
  connector: artefactSource,
  connectorConfig: {},
  // Through the connector, as the registry holds streams: the payload type is the connector's business.
  definition: artefactSource.streams[0]!,
  cadenceMs: DAY,
  silenceThresholdMs: 92 * DAY,
  silenceThresholdConfigured: false,
  sourceLagMs: 0,
  retention: decisionStream.retention({}),
  criteria: decisionStream.criteria,
  isoControls: decisionStream.isoControls,
};

/**
 * Stores the decisions of a registered review as facts through the collection runner: one ledger run per
 * registration over [first day of the period, end of today), idempotent on each decision's natural key.
 */
export function recordReviewDecisions(input: {
  store: EvidenceStore;
  logger: Logger;
  clock: Clock;
  period: Window;
  decisions: readonly ReviewDecision[];
}): Promise<CollectOutcome> {
  const runner = new CollectionRunner({
    store: input.store,
    logger: input.logger,
    clock: input.clock,
    limiter: new LocalLimiter(),
    clients: () => Promise.resolve(input.decisions),
  });
  return runner.collect({
    stream: instance,
    window: { start: input.period.start, end: alignDown(input.clock(), DAY) + DAY },
    trigger: 'artefact',
    attempt: 1,
  });
}

import type { Logger } from 'pino';
import { CollectionRunner, type CollectOutcome } from '../collection/runner.js';
import { LocalLimiter } from '../limiter.js';
import type { StreamInstance } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import { DAY, alignDown, type Clock, type Window } from '../time.js';
import { REVIEW_DECISIONS_STREAM, type ReviewDecision } from './review-decision-fact.js';
import { artefactSource, decisionStream } from './review-decision-stream.js';

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

import { z } from 'zod';
import { defineConnector, defineStream, type AnyConnector } from '../stream.js';
import { parseDay } from '../time.js';
import {
  REVIEW_DECISIONS_STREAM,
  reviewDecisionKey,
  reviewDecisionSchema,
  type ReviewDecision,
} from './review-decision-fact.js';

// The source is the registered workbook itself, read before the run: the stream only hands its rows on.
export const decisionStream = defineStream<readonly ReviewDecision[], ReviewDecision>({
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

export const artefactSource: AnyConnector = defineConnector<Record<string, never>, readonly ReviewDecision[]>(
  {
    id: 'artefacts',
    description: 'registered ISO artefacts whose rows are facts',
    configSchema: z.object({}).strict(),
    createClient: () => [],
    streams: [decisionStream],
  },
);

/**
 * A stream whose facts come from a registered artefact, not from collection: never planned, never silent.
 * Its continuity is the artefact type's expected recurrence (`artefact:<type>` in the continuity report).
 */
export interface ArtefactStream {
  readonly definition: typeof decisionStream;
  /** The artefact type whose registration records the facts (`artefacts add --type ...`). */
  readonly artefactType: string;
  /** As artefact-types.csv sets it for that type (test/access-review/decision-stream.test.ts holds them equal). */
  readonly recurrence: 'quarterly' | 'yearly';
}

export const ARTEFACT_STREAMS: readonly ArtefactStream[] = [
  { definition: decisionStream, artefactType: 'access-review', recurrence: 'quarterly' },
];

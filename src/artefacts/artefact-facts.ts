import type { Logger } from 'pino';
import { EvidenceError } from '../errors.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Clock, Window } from '../time.js';
import { recordReviewDecisions } from './review-decision-facts.js';
import { readReviewDecisions } from './review-decisions.js';
import { sha256File } from '../export/file-hash.js';

/** Facts an artefact carries beside being present (a review's decisions), validated before it is locked. */
export interface ArtefactFacts {
  readonly count: number;
  /** Stores them (idempotent); resolves to one line for the user. */
  record(deps: { store: EvidenceStore; logger: Logger; clock: Clock }): Promise<string>;
}

/**
 * The facts of an artefact type whose rows checks judge; undefined for types that are evidence by being
 * present. A bad row throws a UsageError naming it, before anything is registered.
 */
export async function readArtefactFacts(input: {
  type: string;
  file: string;
  period: Window & { label: string };
  now: number;
}): Promise<ArtefactFacts | undefined> {
  // A review done elsewhere (a PDF, a ticket export) is evidence by being present; only a workbook or its
  // CSV carries decisions for the checks to judge.
  if (input.type !== 'access-review' || !/\.(xlsx|csv)$/i.test(input.file)) return undefined;
  const decisions = await readReviewDecisions({ ...input, sha256: await sha256File(input.file) });
  return {
    count: decisions.length,
    async record(deps) {
      const outcome = await recordReviewDecisions({ ...deps, period: input.period, decisions });
      if (outcome.status !== 'succeeded')
        throw new EvidenceError(
          'REVIEW_DECISIONS_NOT_STORED',
          `the review decisions were not stored (${outcome.error?.message ?? outcome.status}); run "artefacts add" again`,
          'retriable',
          { cause: outcome.error },
        );
      const { counts } = outcome;
      const revokes = decisions.filter((decision) => decision.decision === 'revoke').length;
      return `review decisions stored as facts: ${decisions.length} (${revokes} revoke; ${counts.new} new, ${counts.changed} changed, ${counts.unchanged} unchanged, ${counts.skipped} rejected), run ${outcome.runId}`;
    },
  };
}

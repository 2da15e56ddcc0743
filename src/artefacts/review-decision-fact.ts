import { z } from 'zod';
import { REVIEW_DECISIONS } from './review-columns.js';

/** The stream checks read review decisions from (checks/access-review-revocation.ts). */
export const REVIEW_DECISIONS_STREAM = 'access-review-decisions';

/** One reviewer decision as the evidence store keeps it: what the completed workbook said, nothing judged. */
export const reviewDecisionSchema = z.object({
  /** The review period the workbook was registered for: 2026-Q3. */
  period: z.string(),
  system: z.string(),
  account: z.string(),
  person: z.string().nullable(),
  decision: z.enum(REVIEW_DECISIONS),
  reviewer: z.string(),
  /** YYYY-MM-DD, as the reviewer wrote it. */
  reviewedOn: z.string(),
  comment: z.string().nullable(),
  /** The registered workbook (its SHA-256 in the artefact locker) and the row the decision is on. */
  workbookSha256: z.string(),
  workbookRow: z.number().int().positive(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** Natural key: one decision per account per review period; a corrected workbook gives a new version. */
export const reviewDecisionKey = (decision: Pick<ReviewDecision, 'period' | 'system' | 'account'>) =>
  `${decision.period}/${decision.system}/${decision.account}`;

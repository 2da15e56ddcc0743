import type { App } from '../app.js';
import type { ContinuityReport } from '../continuity/types.js';
import type { Window } from '../time.js';
import {
  isoReuseView,
  mapCriteriaToEvidence,
  type ControlReuse,
  type CriterionEvidence,
} from './evidence-map.js';
import { gatherEvidence } from './gather.js';

export interface Readiness {
  readonly period: Window;
  readonly categories: readonly string[];
  readonly criteria: readonly CriterionEvidence[];
  readonly unevidenced: readonly string[];
  readonly reuse: readonly ControlReuse[];
  readonly continuity: ContinuityReport;
}

/** Where the company stands before the audit: what evidences each criterion in scope, and what does not. */
export async function assessReadiness(app: App, period: Window): Promise<Readiness> {
  const gathered = await gatherEvidence(app, period, app.clock());
  const criteria = mapCriteriaToEvidence(gathered);
  return {
    period,
    categories: ['Security', ...app.config.audit.categories],
    criteria,
    unevidenced: criteria.filter((row) => !row.evidenced).map((row) => row.criterion),
    reuse: isoReuseView(gathered),
    continuity: gathered.continuity,
  };
}

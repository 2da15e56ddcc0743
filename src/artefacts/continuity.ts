import type { StreamContinuity } from '../continuity/types.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';

// STUB (owned by the auditor-package change): expected recurrences of ISO artefacts (a quarterly access
// review, a yearly management review) as continuity entries of kind 'artefact', with a gap per missing one.
export async function artefactContinuity(
  _store: EvidenceStore,
  _period: Window,
  _now: number,
): Promise<StreamContinuity[]> {
  return [];
}

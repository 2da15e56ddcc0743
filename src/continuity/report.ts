import type { Registry } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';
import type { ContinuityReport } from './types.js';

// STUB (owned by the continuity change): replaced by the real report builder.
export async function buildContinuityReport(
  _store: EvidenceStore,
  _registry: Registry,
  _period: Window,
  _now: number,
  _options: { streams?: readonly string[] } = {},
): Promise<ContinuityReport> {
  throw new Error('continuity report not implemented yet');
}

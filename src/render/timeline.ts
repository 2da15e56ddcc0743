import type { ContinuityReport } from '../continuity/types.js';

// STUB (owned by the operator-surface change): server-rendered HTML timeline per stream (covered, gap,
// failed, silent in their own colours; a gap shows its cause and whether it is recoverable). Used by the
// status page and by the auditor package's continuity report.
export const timelineStyles = '';

export function renderTimeline(_report: ContinuityReport): string {
  return '';
}

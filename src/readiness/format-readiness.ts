import { describeFlaggedItems } from '../checks/finding-codes.js';
import type { Readiness } from './readiness.js';

const percent = (value: number | null) => (value === null ? '-' : `${Math.round(value * 10) / 10}%`);

/** The readiness view as plain text for a terminal. */
export function formatReadiness(readiness: Readiness): string {
  const lines: string[] = [];
  lines.push(`Criteria in scope (${readiness.categories.join(', ')}): ${readiness.criteria.length}`);
  for (const row of readiness.criteria) {
    const evidence = [
      ...row.streams.map((entry) => `stream ${entry.stream.id}`),
      ...row.artefacts.map((entry) => `artefact ${entry.type.type} ${entry.artefact.period_label}`),
    ];
    lines.push(
      `${row.criterion.padEnd(6)} ${row.evidenced ? 'evidenced   ' : 'NO EVIDENCE '} continuity ${percent(row.continuityPercent).padStart(6)}  items ${row.population} (${describeFlaggedItems(row.flagged)})  ${evidence.join(', ')}`,
    );
  }
  lines.push('');
  lines.push(
    `Criteria with no evidence at all (${readiness.unevidenced.length}): ${readiness.unevidenced.join(', ') || 'none'}`,
  );
  const gaps = readiness.continuity.streams.flatMap((entry) =>
    entry.gaps
      .filter((gap) => gap.cause !== 'not_yet_due')
      .map(
        (gap) =>
          `${entry.stream}: ${gap.cause} ${new Date(gap.start).toISOString().slice(0, 10)}..${new Date(gap.end).toISOString().slice(0, 10)} (${gap.reason})`,
      ),
  );
  lines.push('');
  lines.push(`Continuity gaps (${gaps.length}):`);
  for (const gap of gaps) lines.push(`  ${gap}`);
  lines.push('');
  lines.push('ISO 27001:2022 reuse view (Annex A control -> criteria it may support; evidence):');
  for (const row of readiness.reuse) {
    // A control can map to one criterion more than once (one row per relationship); name each once.
    const supports =
      [...new Set(row.criteria.map((pair) => pair.tsc_criterion_id))].join(', ') || '(no mapped criterion)';
    const evidence = [...row.streams, ...row.artefacts].join(', ');
    lines.push(
      `${row.control.padEnd(7)} ${row.title}: ${supports}; evidence ${row.evidenceExists ? `yes (${evidence})` : 'no'}`,
    );
  }
  return lines.join('\n');
}

import { explainFinding } from '../../checks/people/explain.js';
import type { PeriodFindings } from '../checks/judge-period.js';

/** The access lifecycle findings of the demo, each with what it means (one example per code). */
export function lifecycleLines(findings: PeriodFindings): string[] {
  const lines: string[] = [];
  for (const id of ['leaver-access-removal', 'joiner-mover-access', 'orphan-accounts', 'person-mfa']) {
    const seen = new Set<string>();
    for (const finding of findings.forCheck(id)) {
      if (seen.has(finding.code)) continue;
      seen.add(finding.code);
      lines.push(...explainedLines('  - ', finding));
    }
  }
  return lines;
}

/** A finding and what it means, as lines after `lead`: the lines after the first two spaces further in. */
export function explainedLines(lead: string, finding: { code: string; description: string }): string[] {
  return `${lead}${explainFinding(finding)}`.split('\n').map((line, i) => (i ? `  ${line}` : line));
}

import { codeMeaning } from '../checks/check-codes.js';
import type { PeriodFindings } from '../checks/judge-period.js';

/** The checks that link each production change to its change ticket (the demo shows one of each code). */
const TICKET_CHECKS = ['change-ticket-linked', 'change-ticket-approved'];

/**
 * One example per code of the ticket checks, with what the code means: the sandbox's planted pull
 * requests (no ticket, a key of another project, approved after the merge) before direct pushes, which
 * also name no ticket but are the change-review check's story.
 */
export function ticketLines(findings: PeriodFindings): string[] {
  const lines: string[] = [];
  for (const check of findings.checks.filter((entry) => TICKET_CHECKS.includes(entry.id))) {
    const examples = new Map<string, string>();
    const all = [...findings.forCheck(check.id)];
    const viaPullRequest = (description: string) => Number(description.includes('pull request #'));
    all.sort((a, b) => viaPullRequest(b.description) - viaPullRequest(a.description));
    for (const finding of all)
      if (!examples.has(finding.code)) examples.set(finding.code, finding.description);
    for (const [code, description] of examples)
      lines.push(`  - ${code}: ${description}`, `    ${codeMeaning(check.definition.codes[code])}`);
  }
  return lines;
}

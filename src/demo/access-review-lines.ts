import type { PeriodFindings } from '../checks/judge-period.js';
import type { DemoAccessReview } from './access-review-step.js';
import { explainedLines } from './lifecycle-lines.js';

/** What the review round trip came to, one line: written, reviewed, returned to the register. */
export function accessReviewDone(review: DemoAccessReview): string {
  const revokes = review.revokes.map((revoke) => `${revoke.system} ${revoke.account}`).join(', ');
  return `Access review ${review.period.label} written for ${review.accounts} accounts in ${review.systems.length} systems (${review.dir}), reviewed by ${review.reviewer} on ${review.reviewedOn}: ${review.decisions} decisions returned through "artefacts add", revoke ${revokes || 'none'}.`;
}

/** The round trip and what the revocation check made of each revoke, in the words of the audit. */
export function accessReviewLines(review: DemoAccessReview, findings: PeriodFindings): string[] {
  const found = findings.forCheck('access-review-revocation');
  const lines = [
    `  - ${accessReviewDone(review)}`,
    `    The register counts ${review.period.label} as reviewed; every revoke is an expectation the account is gone within the SLA.`,
  ];
  for (const revoke of review.revokes) {
    const finding = found.find((entry) => entry.keys[0]?.endsWith(`/${revoke.system}/${revoke.account}`));
    if (finding) lines.push(...explainedLines('    ', finding));
    else lines.push(`    ${revoke.system} ${revoke.account}: removed within the SLA, no finding.`);
  }
  return lines;
}

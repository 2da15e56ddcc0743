import path from 'node:path';
import { describeFlaggedItems } from '../checks/finding-codes.js';
import { conditionsFileName } from '../export/conditions-file.js';
import { exceptionsLine } from '../export/package-summary.js';
import { systemDescriptionFileName } from '../export/system-description/write.js';
import { DAY, HOUR } from '../time.js';
import { accessReviewLines } from './access-review-lines.js';
import { lifecycleLines } from './lifecycle-lines.js';
import type { DemoResult } from './run-demo.js';
import { ticketLines } from './ticket-lines.js';

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** What the findings mean, in the words of the audit. */
export function describeDemo(result: DemoResult): string[] {
  const lines: string[] = [];
  const items = result.summaries.reduce((sum, summary) => sum + summary.itemsNew, 0);
  const { people } = result;
  lines.push(
    '',
    `Collected ${items} evidence items for ${(result.period.end - result.period.start) / DAY} days (${day(result.period.start)} to ${day(result.period.end - DAY)}), as the service would have: a simulated clock stepped day by day from the day before, every sandbox answered as of that moment, and the planner collected what was due.`,
    '',
    `People (${people.files.join(', ')}): ${people.people} people, ${people.joiners} joiners, ${people.movers} movers, ${people.leavers} leavers; ${people.unlinked} account(s) linked to no person, ${people.serviceAccounts} service account(s).`,
  );
  lines.push('', 'Continuity (what an auditor tests for a Type II period):');
  for (const entry of result.continuity.streams) {
    if (entry.kind === 'artefact') continue;
    const gaps = entry.gaps.filter((gap) => gap.cause !== 'not_yet_due');
    const silentHours = entry.silent.reduce((sum, period) => sum + (period.end - period.start) / HOUR, 0);
    const notes = [
      gaps.length
        ? `${gaps.length} gap(s): ${[...new Set(gaps.map((gap) => `${gap.cause}${gap.recoverable ? ' (recoverable)' : ' (unrecoverable)'}`))].join(', ')}`
        : '',
      silentHours ? `silent for ${silentHours} h` : '',
      entry.flagged && Object.values(entry.flagged).some(Boolean)
        ? `items: ${describeFlaggedItems(entry.flagged)}`
        : '',
    ].filter(Boolean);
    lines.push(
      `  ${entry.stream.padEnd(34)} ${entry.coveragePercent.toFixed(1).padStart(5)}% covered  ${notes.join('; ')}`,
    );
  }
  lines.push(
    '',
    'Checks (each judges the stored facts; a policy change re-judges, never rewrites evidence):',
  );
  for (const check of result.findings.checks) {
    const counts = new Map<string, number>();
    for (const finding of result.findings.forCheck(check.id))
      counts.set(finding.code, (counts.get(finding.code) ?? 0) + 1);
    const found = [...counts].map(([code, count]) => `${code} ${count}`).join(', ');
    lines.push(`  ${check.ref.padEnd(26)} ${found || 'no findings'}`);
  }
  lines.push(
    '',
    'What the findings mean:',
    `  - ${result.outage.stream} was not collected from ${day(result.outage.start)} to ${day(result.outage.end - DAY)} (the planted collection`,
    '    outage): a gap "never attempted". CloudTrail still holds those events, so it is recoverable:',
    '    `evidence-worker start` repairs it automatically, or run a backfill of those days. The IAM snapshots of',
    '    those days (aws-iam-state) were not taken either, and a snapshot cannot be taken again: that gap is',
    '    unrecoverable, and a leaver removed from IAM inside it gets removal_not_evidenced (the gap is named).',
    ...lifecycleLines(result.findings),
    ...accessReviewLines(result.accessReview, result.findings),
    ...ticketLines(result.findings),
    ...(result.findings.forCheck('cloudtrail-digests').some((f) => f.code === 'digest_missing')
      ? [
          "  - digest_missing (cloudtrail-digests): the demo's trail directory holds the log files but not their",
          '    digest files (signing a digest per hour and region would take the demo past a minute), so no hour',
          '    is proven complete and unaltered. Against a real bucket each hour has a signed digest;',
          '    test/aws/digests.test.ts shows the check on signed, chained digests, a deleted log file and an edited one.',
        ]
      : []),
    "  - aws-cloudtrail-log-samples is silent for the hours of the sandbox's planted logging outage (StopLogging",
    '    ... StartLogging): runs succeeded but CloudTrail recorded nothing. That is a CC7.2 exception to explain.',
    '  - Snapshot streams (IAM state, credential report, Identity Center, org access, branch protection, Okta and',
    '    Google users, the HR export, trail status) can only observe the present: the service observed',
    '    them every day of the period, and their day-to-day diffs are the joiners, movers and leavers above. A day',
    '    the service did not run would be an unrecoverable gap: start it before the audit period begins.',
    '  - Findings (direct pushes, changes promoted from a release branch without a pull request, self-approvals,',
    '    admin bypass, console users without MFA, root use, ...) are listed in the exceptions register with their',
    '    criterion and the check@version that gave them. Set `checks.change-review.reviewedAnywhere: true` if',
    '    your auditor accepts review in the release pull request.',
    '',
    `Auditor package: ${result.auditorPackage.out}`,
    `  ${result.auditorPackage.populations.length} population files, ${exceptionsLine(result.auditorPackage)} (conditions: the register's Conditions sheet and ${conditionsFileName(result.auditorPackage.period)}); index over ${result.auditorPackage.criteria} criteria, continuity report, manifest.`,
    `  Open ${path.join(result.auditorPackage.out, `Continuity_Report_${result.auditorPackage.period.label}.html`)} for the timeline.`,
    `  System description draft (DC 200) to complete: ${path.join(result.auditorPackage.out, systemDescriptionFileName(result.auditorPackage.period))}`,
    `  Signed with a throwaway Ed25519 key (fingerprint ${result.keys.fingerprint}); the auditor, given the public key`,
    '  and the manifest hash by another channel, checks every file, the manifest and its signature with:',
    `    npx evidence-worker verify ${path.relative(process.cwd(), result.auditorPackage.out) || '.'} --public-key ${path.relative(process.cwd(), result.keys.publicKeyFile)} --expect ${result.auditorPackage.manifestSha256}`,
  );
  return lines;
}

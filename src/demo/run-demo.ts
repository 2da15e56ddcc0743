import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { openApp, type App } from '../app.js';
import { runBackfill, type StreamSummary } from '../collection/backfill.js';
import { parseConfig } from '../config/load.js';
import { buildContinuityReport } from '../continuity/report.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import type { ContinuityReport } from '../continuity/types.js';
import { labelFromTo } from '../export/audit-period.js';
import { writeAuditorPackage, type AuditorPackage } from '../export/package-writer.js';
import { redisReachable } from '../queue/redis.js';
import { startSandboxes } from '../sandbox/sandboxes.js';
import { DAY, HOUR, type Window } from '../time.js';

export interface DemoOptions {
  readonly out: string;
  readonly days: number;
  readonly inline?: boolean;
  readonly redisUrl: string;
  readonly logger: Logger;
  /** Where progress and findings go (stdout by default). */
  readonly print?: (line: string) => void;
}

export interface DemoResult {
  readonly mode: 'queue' | 'inline';
  readonly period: Window;
  readonly outage: Window & { stream: string };
  readonly summaries: readonly StreamSummary[];
  readonly continuity: ContinuityReport;
  /** What the checks found over the period. */
  readonly findings: PeriodFindings;
  readonly auditorPackage: AuditorPackage;
}

/** The stream whose collection the demo leaves out for a while, to show a gap an auditor would find. */
const OUTAGE_STREAM = 'aws-cloudtrail-access-changes';

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * The whole product in one command: sandboxes of GitHub and AWS serve a generated company, the real
 * connectors backfill `days` days through BullMQ (or inline without Redis), collection of one stream is
 * left out for two days (a planted collection outage beside the sandbox's planted logging outage), the
 * continuity check judges the period and the auditor package is written to `out`.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const period: Window = { start: today - options.days * DAY, end: today };
  const out = path.resolve(options.out);
  // The store lives beside the package, not in it: the package holds only what the manifest lists.
  const workDir = path.join(path.dirname(out), `.${path.basename(out)}-data`);
  const storeFile = path.join(workDir, 'evidence.db');
  await rm(out, { recursive: true, force: true });
  for (const suffix of ['', '-wal', '-shm']) await rm(`${storeFile}${suffix}`, { force: true });

  const sandboxes = await startSandboxes({ seed: 42, now, days: options.days + 30 });
  print(
    `GitHub sandbox on ${sandboxes.github.url}, AWS sandbox on ${sandboxes.aws.url}: a generated company, ${options.days} days of history.`,
  );
  const mode = options.inline || !(await redisReachable(options.redisUrl)) ? 'inline' : 'queue';
  print(
    mode === 'queue'
      ? `Collecting through BullMQ on ${options.redisUrl} (this process runs the workers).`
      : `${options.inline ? 'Asked for --inline' : `Redis is not reachable at ${options.redisUrl}`}: collecting INLINE, without BullMQ (same processors, no queue).`,
  );

  // Trail files from a local directory: the S3 path works the same (see connectors/aws) but costs an SDK
  // round trip per file, which would dominate a 90-day demo on a small machine.
  const trailDir = path.join(workDir, 'trail');
  await rm(trailDir, { recursive: true, force: true });
  await sandboxes.aws.writeTrailFiles(trailDir);
  const awsSection = sandboxes.connectors.aws as { accounts: Record<string, unknown>[] };
  const raw = {
    store: { url: `file:${storeFile}` },
    redis: { url: options.redisUrl, prefix: `evidence-demo-${now}` },
    connectors: {
      github: { ...(sandboxes.connectors.github as object), concurrency: 8 },
      aws: {
        accounts: awsSection.accounts.map((account) => ({
          ...account,
          cloudtrail: { source: 'dir', path: trailDir },
        })),
        concurrency: 8,
      },
    },
    queue: { attempts: 5, backoffMs: 200 },
  };
  let app: App | undefined;
  try {
    app = await openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: process.cwd(),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      logger: options.logger,
    });
    const outage = { stream: OUTAGE_STREAM, start: today - 40 * DAY, end: today - 38 * DAY };
    const started = Date.now();
    const streams = app.registry.streams;
    let lastDecile = -1;
    const parts = new Map<number, { done: number; total: number }>();
    // Three backfills run at once; progress is reported over all of them.
    const progressOf = (part: number) => (done: number, total: number) => {
      parts.set(part, { done, total });
      const sum = [...parts.values()].reduce(
        (acc, entry) => ({ done: acc.done + entry.done, total: acc.total + entry.total }),
        { done: 0, total: 0 },
      );
      const decile = parts.size === 3 ? Math.floor((sum.done / Math.max(sum.total, 1)) * 10) : 0;
      if (decile > lastDecile) {
        lastDecile = decile;
        print(`  backfill ${decile * 10}% (${sum.done}/${sum.total} windows)`);
      }
    };
    const common = { inline: mode === 'inline' };
    const others = streams.filter((stream) => stream.id !== OUTAGE_STREAM);
    // The planted collection outage: two days of one stream are never collected.
    const outageStream = streams.filter((stream) => stream.id === OUTAGE_STREAM);
    const backfills = await Promise.all([
      runBackfill(app, { ...common, onProgress: progressOf(0), period, streams: others }),
      runBackfill(app, {
        ...common,
        onProgress: progressOf(1),
        period: { start: period.start, end: outage.start },
        streams: outageStream,
      }),
      runBackfill(app, {
        ...common,
        onProgress: progressOf(2),
        period: { start: outage.end, end: period.end },
        streams: outageStream,
      }),
    ]);
    const summaries = backfills.flat();
    print(`Backfill of ${options.days} days done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

    const store = await app.store();
    const findings = await app.findings(period);
    const continuity = await buildContinuityReport(store, app.registry, period, app.clock(), { findings });
    const auditorPackage = await writeAuditorPackage(app, {
      period: { ...period, label: labelFromTo(period) },
      out,
    });
    return { mode, period, outage, summaries, continuity, findings, auditorPackage };
  } finally {
    await app?.close();
    await sandboxes.stop();
  }
}

/** What the findings mean, in the words of the audit. */
export function describeDemo(result: DemoResult): string[] {
  const lines: string[] = [];
  const items = result.summaries.reduce((sum, summary) => sum + summary.items.new, 0);
  lines.push(
    '',
    `Collected ${items} evidence items for ${result.period.start === result.period.end ? 0 : (result.period.end - result.period.start) / DAY} days (${day(result.period.start)} to ${day(result.period.end - DAY)}).`,
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
      entry.exceptionCount ? `${entry.exceptionCount} exception(s)` : '',
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
    '    `evidence-worker start` repairs it automatically, or run a backfill of those days.',
    "  - aws-cloudtrail-log-samples is silent for the hours of the sandbox's planted logging outage (StopLogging",
    '    ... StartLogging): runs succeeded but CloudTrail recorded nothing. That is a CC7.2 exception to explain.',
    '  - Snapshot streams (IAM state, credential report, trail status, org access, branch protection) can only',
    '    observe the present: days before collection started are unrecoverable. Start the service before the',
    '    audit period begins.',
    '  - Findings (direct pushes, changes promoted from a release branch without a pull request, self-approvals,',
    '    admin bypass, console users without MFA, root use, ...) are listed in the exceptions register with their',
    '    criterion and the check@version that gave them. Set `checks.change-review.reviewedAnywhere: true` if',
    '    your auditor accepts review in the release pull request.',
    '',
    `Auditor package: ${result.auditorPackage.out}`,
    `  ${result.auditorPackage.populations.length} population files, ${result.auditorPackage.exceptions} exceptions, index over ${result.auditorPackage.criteria} criteria, continuity report, manifest.`,
    `  Open ${path.join(result.auditorPackage.out, `Continuity_Report_${result.auditorPackage.period.label}.html`)} for the timeline; \`evidence-worker verify ${path.relative(process.cwd(), result.auditorPackage.out) || '.'}\` re-checks every file.`,
  );
  return lines;
}

import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { openApp, type App } from '../app.js';
import { runInline } from '../collection/backfill.js';
import { openQueueSession, type QueueSession } from '../collection/backfill-queued.js';
import { parseConfig } from '../config/load.js';
import { buildContinuityReport } from '../continuity/report.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import type { ContinuityReport } from '../continuity/types.js';
import { labelFromTo } from '../export/audit-period.js';
import { writeAuditorPackage, type AuditorPackage } from '../export/package-writer.js';
import { generateSigningKeys } from '../export/signing.js';
import { withSystemDescription } from '../export/system-description/in-package.js';
import { redisReachable } from '../queue/redis.js';
import { displayUrl } from '../cli/display-url.js';
import type { Company } from '../sandbox/company/index.js';
import { startSandboxes } from '../sandbox/sandboxes.js';
import { ticketPlanOf, type TicketPlan } from '../sandbox/tickets/plan.js';
import { DAY, HOUR, alignDown, type Window } from '../time.js';
import { runAccessReview, type DemoAccessReview } from './access-review-step.js';
import { accessReviewDone } from './access-review-lines.js';
import { demoConfig } from './demo-config.js';
import { lateMergeLine, lateMergesFound, type LateMerges } from './late-merge-lines.js';
import { readPeopleFiles, type PeopleSummary } from './people-summary.js';
import { simulateService, type StreamRuns, type TickCollector } from './simulated-service.js';

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
  /** The planted collection outage: `stream` (recoverable from CloudTrail) and every stream in `streams`. */
  readonly outage: Window & { stream: string; streams: readonly string[] };
  /** Per stream, what the simulated service's runs came to (from the ledger). */
  readonly summaries: readonly StreamRuns[];
  /** Simulated ticks the clock stepped through and windows collected at them. */
  readonly simulation: { readonly ticks: number; readonly windows: number };
  readonly continuity: ContinuityReport;
  /** What the checks found over the period. */
  readonly findings: PeriodFindings;
  readonly auditorPackage: AuditorPackage;
  /** What the package's CC6.1 workforce and CC6.2 joiners, movers and leavers files hold. */
  readonly people: PeopleSummary;
  /** The generated company every sandbox serves: the ground truth behind the people files. */
  readonly company: Company;
  /** What the sandboxes planted inside the period: the ground truth behind the findings and the draft. */
  readonly planted: Planted;
  /** The quarterly access review written, reviewed and registered before the package. */
  readonly accessReview: DemoAccessReview;
  /** The throwaway key pair that signed the package (beside it, never in it). */
  readonly keys: { readonly publicKeyFile: string; readonly fingerprint: string };
  /** GitHub's rate budget spent by every GitHub stream, as the sandbox charged it by GitHub's rules. */
  readonly github: GithubBudget;
}

export interface GithubBudget {
  readonly graphqlPoints: number;
  /** Of them, what reading production changes cost (the rest reads SAML identities for org access). */
  readonly productionChangePoints: number;
  readonly restCalls: number;
  /** Conditional REST calls answered 304: free. */
  readonly notModified: number;
  readonly productionChanges: number;
  readonly lateMerges: LateMerges;
}

export interface Planted {
  /** Every production change with its ticket case (linked, no ticket, another project's key, ...). */
  readonly tickets: TicketPlan;
  /** The AWS sandbox's logging outage: StopLogging at `start`, StartLogging at `end`. */
  readonly loggingOutage: Window;
  /** The GitHub sandbox's protection changes, all at `at`. */
  readonly protectionChanges: { readonly at: number; readonly repos: readonly string[] };
  /** The repository created during the period. */
  readonly newRepository: { readonly at: number; readonly fullName: string };
}

/** Streams collected a day past the period's end: a change merged at its end is closed in its ticket after it. */
const TICKET_STREAMS = ['jira-change-tickets', 'linear-change-tickets'];

/** The stream whose collection the demo leaves out for a while, to show a gap an auditor would find. */
const OUTAGE_STREAM = 'aws-cloudtrail-access-changes';
/** The AWS collection was down: the IAM snapshots of those days are missing too (and cannot be taken again). */
const OUTAGE_STREAMS = [OUTAGE_STREAM, 'aws-iam-state'] as const;

function serviceAccountOf(company: Company) {
  const account = company.accounts.find((entry) => entry.kind === 'service');
  if (!account?.ownerEmployeeId) throw new Error('the demo company declares no service account');
  return {
    login: account.login,
    ownerEmail: company.byId(account.ownerEmployeeId).email,
    reason: account.reason ?? 'service account',
  };
}

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * The whole product in one command, run as the service would have run over the period: sandboxes of
 * GitHub, AWS, Jira, Linear, Okta, Google Workspace and an HR export serve a generated company; a
 * simulated clock steps through the period (from the day before it, as a service started ahead of its
 * audit period) and moves every sandbox with it; at each tick the planner's rule decides what is due and
 * the real connectors collect it through BullMQ (or inline without Redis). Collection of one stream is left
 * out for two days (a planted collection outage beside the sandbox's planted logging outage); then the
 * continuity check judges the period and the auditor package is written to `out`.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const today = alignDown(Date.now(), DAY);
  const period: Window = { start: today - options.days * DAY, end: today };
  // Started the day before the period, the service has a baseline to diff the period's first day against.
  const simulated: Window = { start: period.start - DAY, end: period.end };
  const out = path.resolve(options.out);
  // The store lives beside the package, not in it: the package holds only what the manifest lists.
  const workDir = path.join(path.dirname(out), `.${path.basename(out)}-data`);
  const storeFile = path.join(workDir, 'evidence.db');
  await rm(out, { recursive: true, force: true });
  for (const suffix of ['', '-wal', '-shm']) await rm(`${storeFile}${suffix}`, { force: true });

  const history = { seed: 42, now: period.end + 12 * HOUR, days: options.days + 30 };
  // Twenty days before the end, between the logging outage and the protection change; mid-period when shorter.
  const newRepositoryAt =
    (options.days > 21 ? period.end - 20 * DAY : period.start + Math.floor(options.days / 2) * DAY) +
    11 * HOUR;
  const sandboxes = await startSandboxes({
    // Histories end past the period's end, into the last simulated ticks.
    ...history,
    // Okta's per-minute limit is wall-clock: the demo asks in seconds what a service asks over months.
    oktaPerMinute: 1_000_000,
    // The planted branch-protection weakening happens inside the period, so a daily snapshot sees it.
    githubChangesAt: period.end - 10 * DAY + 14 * HOUR,
    // A repository created inside the period: the draft's significant changes list it.
    githubNewRepositoryAt: newRepositoryAt,
  });
  print(
    `Sandboxes of GitHub (${sandboxes.github.url}), AWS, Jira, Linear, Okta, Google Workspace and a BambooHR export serve one generated company: ${sandboxes.okta.company.people.length} people, ${options.days} days of history.`,
  );
  const mode = options.inline || !(await redisReachable(options.redisUrl)) ? 'inline' : 'queue';
  print(
    mode === 'queue'
      ? `Collecting through BullMQ on ${displayUrl(options.redisUrl)} (this process runs the workers).`
      : `${options.inline ? 'Asked for --inline' : `Redis is not reachable at ${displayUrl(options.redisUrl)}`}: collecting INLINE, without BullMQ (same processors, no queue).`,
  );

  // Trail files from a local directory: the S3 path works the same (see connectors/aws) but costs an SDK
  // round trip per file, which would dominate a 90-day demo on a small machine.
  const trailDir = path.join(workDir, 'trail');
  await rm(trailDir, { recursive: true, force: true });
  await sandboxes.aws.writeTrailFiles(trailDir);
  // A throwaway signing key, beside the package: the private half must never travel with it.
  const keysDir = path.join(workDir, 'keys');
  await rm(keysDir, { recursive: true, force: true });
  const keys = await generateSigningKeys(keysDir);
  const raw = demoConfig(sandboxes, {
    storeFile,
    trailDir,
    redisUrl: options.redisUrl,
    prefix: `evidence-demo-${Date.now()}`,
    auditStart: day(simulated.start),
    privateKeyFile: keys.privateKeyFile,
    serviceAccount: serviceAccountOf(sandboxes.okta.company),
  });
  let app: App | undefined;
  let session: QueueSession | undefined;
  try {
    app = await openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: process.cwd(),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      // Runs, watermarks and what can still be read follow the simulated clock, as the sandboxes do.
      clock: sandboxes.clock.now,
      logger: options.logger,
    });
    // 40 to 38 days before the end (the company plants a leaver's IAM removal there); mid-period when shorter.
    const outageStart =
      options.days >= 42 ? today - 40 * DAY : period.start + Math.floor(options.days / 2) * DAY;
    const outage = {
      stream: OUTAGE_STREAM,
      streams: OUTAGE_STREAMS,
      start: outageStart,
      end: outageStart + 2 * DAY,
    };
    const started = Date.now();
    const running = app;
    let collect: TickCollector;
    if (mode === 'queue') {
      const opened = (session = await openQueueSession(running));
      collect = (planned) => opened.collect(planned, { trigger: 'schedule' });
    } else collect = async (planned) => void (await runInline(running, planned, { trigger: 'schedule' }));
    let lastDecile = -1;
    const simulation = await simulateService(app, {
      clock: sandboxes.clock,
      period: simulated,
      streams: app.registry.streams,
      collect,
      runOn: { streams: TICKET_STREAMS, for: DAY },
      // The planted collection outage: the service did not run this stream for two days.
      skip: (stream, window) =>
        outage.streams.includes(stream.id as (typeof OUTAGE_STREAMS)[number]) &&
        window.start < outage.end &&
        window.end > outage.start,
      onDay: (done, total) => {
        const decile = Math.floor((done / total) * 10);
        if (decile <= lastDecile) return;
        lastDecile = decile;
        print(`  simulated ${day(simulated.start + done * DAY)} (${decile * 10}%)`);
      },
    });
    await session?.close();
    session = undefined;
    print(
      `${options.days} days run in ${((Date.now() - started) / 1000).toFixed(1)} s: ${simulation.ticks} simulated days (the day before to the day after, the change tickets a day longer), ${simulation.windows} windows collected.`,
    );
    const lateMerges = await lateMergesFound(await app.store(), sandboxes.github, period);
    print(lateMergeLine(lateMerges));
    const github: GithubBudget = {
      graphqlPoints: sandboxes.github.requests.points.graphql,
      productionChangePoints: sandboxes.github.requests.graphqlByOperation.ProductionChanges ?? 0,
      restCalls: sandboxes.github.requests.points.core,
      notModified: sandboxes.github.requests.notModified,
      productionChanges:
        simulation.streams.find((runs) => runs.stream === 'github-production-changes')?.itemsNew ?? 0,
      lateMerges,
    };
    print(
      `GitHub rate budget for the ${options.days} days: ${github.productionChangePoints} GraphQL points for ${github.productionChanges} production changes (${(github.productionChangePoints / Math.max(github.productionChanges, 1)).toFixed(3)} a change: every repository's history read together, a point a day for a handful of commits), ${github.graphqlPoints - github.productionChangePoints} for SAML identities, ${github.restCalls} REST calls and ${github.notModified} more answered 304 (free); a token has 5,000 points an hour.`,
    );

    // Beside the package (its directory must start empty), before it: the register holds the review.
    const reviewStarted = Date.now();
    const accessReview = await runAccessReview(app, {
      company: sandboxes.okta.company,
      period,
      dir: path.join(workDir, 'access-review'),
    });
    print(`${accessReviewDone(accessReview)} (${((Date.now() - reviewStarted) / 1000).toFixed(1)} s)`);
    const store = await app.store();
    const findings = await app.findings(period);
    const continuity = await buildContinuityReport(store, app.registry, period, app.clock(), { findings });
    const label = labelFromTo(period);
    const auditorPackage = await writeAuditorPackage(app, {
      period: { ...period, label },
      out,
      findings,
      // The system description draft goes into the package, as `export --system-description` writes it.
      ...withSystemDescription(app, { ...period, label }),
    });
    return {
      mode,
      period,
      outage,
      summaries: simulation.streams,
      simulation: { ticks: simulation.ticks, windows: simulation.windows },
      continuity,
      findings,
      auditorPackage,
      people: await readPeopleFiles(out, label),
      company: sandboxes.okta.company,
      planted: {
        tickets: ticketPlanOf(history),
        loggingOutage: sandboxes.aws.groundTruth.outage,
        protectionChanges: {
          at: sandboxes.github.groundTruth.changesAt,
          repos: sandboxes.github.groundTruth.protection.protectionChanges.map((change) => change.repo),
        },
        newRepository: { at: newRepositoryAt, fullName: `${sandboxes.github.groundTruth.org}/payments` },
      },
      accessReview,
      keys: { publicKeyFile: keys.publicKeyFile, fingerprint: keys.fingerprint },
      github,
    };
  } finally {
    await session?.close();
    await app?.close();
    await sandboxes.stop();
  }
}

export { describeDemo } from './describe-demo.js';

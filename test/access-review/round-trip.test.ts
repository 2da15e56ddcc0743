import { registryRunner } from '../support/stream-harness.js';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArtefactType, loadArtefactTypes } from '../../src/artefacts/artefact-types.js';
import { artefactContinuity } from '../../src/artefacts/continuity.js';
import { REVIEW_COLUMNS } from '../../src/artefacts/review-columns.js';
import { REVIEW_DECISIONS_STREAM } from '../../src/artefacts/review-decision-fact.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { parseConfig } from '../../src/config/load.js';
import { buildRegistry, type Registry } from '../../src/registry.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { openStore, type EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR } from '../../src/time.js';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStore } from '../support/stores.js';
import { completeWorkbook, rowsOf } from './review-workbook.js';

// The sandbox company's period ends on 2026-10-01; Frank leaves on 2026-09-01 (seed 7), Carol stays.
const NOW = Date.UTC(2026, 9, 1, 12);
const SEED = 7;
const STREAMS = ['hr-workforce', 'okta-users', 'github-org-access'];
const REVIEW_DAY = Date.UTC(2026, 7, 28);
// The review day, the SLA deadline (7 days on) and the day after: what the daily service would observe.
const DAYS = [REVIEW_DAY, REVIEW_DAY + 7 * DAY, REVIEW_DAY + 8 * DAY];
const OKTA_WORKBOOK = 'CC6.1_User_Access_Review_Okta_2026-Q3.xlsx';

let sandboxes: Sandboxes;
let store: EvidenceStore;
let storeUrl: string;
let registry: Registry;
let config: string;
let out: string;
let frank: string;
let carol: string;

const cli = (...args: string[]) => runCli(['--config', config, ...args], { env: sandboxes.env });

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: SEED, now: NOW, days: 365 });
  const company = sandboxes.okta.company;
  frank = company.people.find((person) => person.firstName === 'Frank')!.oktaLogin;
  carol = company.people.find((person) => person.firstName === 'Carol')!.oktaLogin;
  const leaver = company.events.find(
    (event) => event.kind === 'leaver' && company.byId(event.employeeId).oktaLogin === frank,
  )!;
  // The planted facts this test relies on: Frank leaves between the review and its deadline.
  expect(leaver.at).toBeGreaterThan(REVIEW_DAY + DAY);
  expect(leaver.at).toBeLessThan(REVIEW_DAY + 7 * DAY);

  const raw = { connectors: sandboxes.connectors };
  registry = await buildRegistry(parseConfig(raw, sandboxes.env), Catalogue.load());
  ({ store, url: storeUrl } = await freshStore('sqlite'));
  let now = NOW;
  const runner = registryRunner(store, registry, sandboxes.env, () => now);
  for (const day of DAYS) {
    now = day + 12 * HOUR;
    sandboxes.okta.setNow(now);
    for (const id of STREAMS) {
      const outcome = await runner.collect({
        stream: registry.stream(id),
        window: { start: day, end: day + DAY },
        trigger: 'schedule',
        attempt: 1,
      });
      expect(outcome.status, `${id} on ${new Date(day).toISOString()}`).toBe('succeeded');
    }
  }
  await store.close();
  const service = company.accounts.find((account) => account.kind === 'service')!;
  config = writeConfig(
    JSON.stringify({
      store: { url: storeUrl },
      connectors: sandboxes.connectors,
      checks: { 'access-review-revocation': { sla: '7d' } },
      people: {
        serviceAccounts: [
          {
            system: 'Okta',
            account: service.login,
            owner: company.byId(service.ownerEmployeeId!).email,
            reason: service.reason!,
          },
        ],
      },
    }),
  );
  out = mkdtempSync(path.join(tmpdir(), 'ew-review-'));
}, 180_000);

afterAll(async () => {
  await sandboxes?.stop();
});

async function chainHeads() {
  const reopened = await openStore(storeUrl);
  try {
    return await reopened.db.selectFrom('chain_heads').selectAll().orderBy('stream').execute();
  } finally {
    await reopened.close();
  }
}

describe('quarterly access review round trip', () => {
  it('writes one workbook per system with every account active in the quarter and a summary', async () => {
    const written = await cli('access-review', '--period', '2026-Q3', '--out', out);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    // The company's accounts for no person that Okta held by the last observed day.
    const lastSeen = DAYS[DAYS.length - 1]! + 12 * HOUR;
    const unlinked = sandboxes.okta.company.accounts.filter(
      (account) => account.kind === 'unlinked' && account.createdAt <= lastSeen,
    );
    expect(written.stdout).toMatch(new RegExp(`Okta: \\d+ account\\(s\\), ${unlinked.length} unlinked`));
    expect(written.stdout).toContain(OKTA_WORKBOOK);
    expect(written.stdout).toContain('CC6.1_User_Access_Review_GitHub_2026-Q3.xlsx');
    // A GitHub member without 2FA carries the org-two-factor finding in the workbook.
    expect(written.stdout).toMatch(/GitHub: \d+ account\(s\), \d+ unlinked, [1-9]\d* with findings/);
    const github = readFileSync(path.join(out, 'CC6.1_User_Access_Review_GitHub_2026-Q3.csv'), 'utf8');
    expect(github).toMatch(/\(org-two-factor@1\)/);

    const { sheet, column } = await rowsOf(path.join(out, OKTA_WORKBOOK));
    const byAccount = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, number) => {
      if (number > 1) byAccount.set(String(row.getCell(column(REVIEW_COLUMNS.account)).value), row);
    });
    const company = sandboxes.okta.company;
    const mallory = company.people.find((person) => person.firstName === 'Mallory')!.oktaLogin;
    // Frank left in the quarter: he held access in it. Mallory left in June: she did not.
    expect(byAccount.has(frank)).toBe(true);
    expect(byAccount.has(mallory)).toBe(false);
    expect(byAccount.get(carol)!.getCell(column(REVIEW_COLUMNS.person)).value).toBe(carol);
    const orphan = company.accounts.find((account) => account.kind === 'unlinked')!.login;
    expect(byAccount.get(orphan)!.getCell(column(REVIEW_COLUMNS.person)).value).toBe('unlinked');
    for (const row of byAccount.values())
      expect(row.getCell(column(REVIEW_COLUMNS.decision)).value ?? null).toBeNull();

    const summary = readFileSync(path.join(out, 'CC6.1_User_Access_Review_Summary_2026-Q3.csv'), 'utf8');
    expect(summary).toContain(`Okta,${byAccount.size},${unlinked.length},`);
    expect(summary).toContain('GitHub,');
  });

  it('a completed workbook registers the quarter and one revoke not carried out gives review_revocation_not_done', async () => {
    const completed = path.join(mkdtempSync(path.join(tmpdir(), 'ew-reviewed-')), OKTA_WORKBOOK);
    await completeWorkbook(path.join(out, OKTA_WORKBOOK), completed, [frank, carol], new Date(REVIEW_DAY));
    const added = await cli('artefacts', 'add', completed, '--type', 'access-review', '--period', '2026-Q3');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/review decisions stored as facts: \d+ \(2 revoke; \d+ new/);

    const again = await cli('artefacts', 'add', completed, '--type', 'access-review', '--period', '2026-Q3');
    expect(again.stdout).toContain('already registered');
    expect(again.stdout).toMatch(/2 revoke; 0 new, 0 changed, \d+ unchanged/);

    const run = await cli(
      'checks',
      'run',
      '--period',
      '2026-Q3',
      '--check',
      'access-review-revocation',
      '--json',
    );
    expect(run.code).toBe(0);
    const findings = (
      JSON.parse(run.stdout) as { findings: { code: string; keys: string[]; description: string }[] }
    ).findings;
    expect(findings.map((finding) => finding.code)).toEqual(['review_revocation_not_done']);
    expect(findings[0]!.keys[0]).toBe(`2026-Q3/Okta/${carol}`);
    expect(findings[0]!.description).toContain('2026-09-04');

    // The auditor's package carries the finding in its exceptions register, citing the check.
    const pkg = path.join(mkdtempSync(path.join(tmpdir(), 'ew-review-package-')), 'package');
    const exported = await cli('export', '--period', '2026-Q3', '--out', pkg);
    expect(exported.code, exported.stderr).toBe(0);
    const exceptions = readFileSync(path.join(pkg, 'Exceptions_Register_2026-Q3.csv'), 'utf8');
    expect(exceptions).toMatch(/review_revocation_not_done/);
    expect(exceptions).toContain('access-review-revocation@1');

    // A tighter SLA changes the findings, never the evidence: the deadline (2026-08-30) falls in days no
    // snapshot observed, so Frank's removal can no longer be shown in time.
    const heads = () => chainHeads();
    const before = await heads();
    const tight = writeConfig(readFileSync(config, 'utf8').replace('"sla":"7d"', '"sla":"2d"'));
    const rerun = await runCli(
      [
        '--config',
        tight,
        'checks',
        'run',
        '--period',
        '2026-Q3',
        '--check',
        'access-review-revocation',
        '--json',
      ],
      { env: sandboxes.env },
    );
    const tightFindings = (JSON.parse(rerun.stdout) as { findings: { code: string; keys: string[] }[] })
      .findings;
    expect(tightFindings.map((finding) => `${finding.code} ${finding.keys[0]}`).sort()).toEqual([
      `review_revocation_not_done 2026-Q3/Okta/${carol}`,
      `review_revocation_not_evidenced 2026-Q3/Okta/${frank}`,
    ]);
    expect(await heads()).toEqual(before);

    const reopened = await openStore(storeUrl);
    try {
      const quarter = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) };
      const review = (await artefactContinuity(reopened, quarter, Date.UTC(2026, 11, 1))).find(
        (entry) => entry.stream === 'artefact:access-review',
      )!;
      expect(review.gaps).toEqual([]);
      expect(review.coveragePercent).toBe(100);
      const runs = await reopened.db
        .selectFrom('runs')
        .select(['trigger', 'status'])
        .where('stream', '=', REVIEW_DECISIONS_STREAM)
        .execute();
      expect(runs).toEqual([
        { trigger: 'artefact', status: 'succeeded' },
        { trigger: 'artefact', status: 'succeeded' },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('the decisions are listed in streams as a recurring artefact, never planned, never silent', async () => {
    const listed = await cli('streams', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as Record<string, unknown>[];
    const decisions = rows.find((row) => row.id === REVIEW_DECISIONS_STREAM);
    const type = findArtefactType(loadArtefactTypes(Catalogue.load()), 'access-review');
    expect(decisions).toEqual({
      id: REVIEW_DECISIONS_STREAM,
      connector: 'artefacts',
      kind: 'artefact',
      artefactType: 'access-review',
      recurrence: type.recurrence,
      criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
      isoControls: type.isoControls,
      population: expect.stringMatching(/^Every account decision \(keep or revoke\)/) as unknown,
    });
    for (const criterion of type.criteria) expect(decisions!.criteria).toContain(criterion);
    const text = await cli('streams');
    expect(text.stdout).toContain(
      `${REVIEW_DECISIONS_STREAM}  (artefact, quarterly: recorded by "artefacts add FILE --type access-review --period P", never collected)\n  SOC 2: CC6.1, CC6.2, CC6.3   ISO 27001:2022: A.5.15, A.5.18, A.8.2\n  population: Every account decision`,
    );
    const catalog = await cli('catalog', 'CC6.3');
    expect(catalog.stdout).toContain(`  ${REVIEW_DECISIONS_STREAM}  Every account decision`);

    // Months after the last review (past the 92-day silence a collected stream would have): the planner has
    // nothing of it to plan, continuity does not judge it as a stream, and the quarter without a review is
    // the artefact's own gap.
    expect(registry.streams.map((stream) => stream.id)).not.toContain(REVIEW_DECISIONS_STREAM);
    const reopened = await openStore(storeUrl);
    try {
      const half = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2027, 0, 1) };
      const report = await buildContinuityReport(reopened, registry, half, Date.UTC(2027, 1, 15));
      expect(report.streams.map((entry) => entry.stream)).not.toContain(REVIEW_DECISIONS_STREAM);
      const review = (await artefactContinuity(reopened, half, Date.UTC(2027, 1, 15))).find(
        (entry) => entry.stream === 'artefact:access-review',
      )!;
      expect(review.silent).toEqual([]);
      expect(review.gaps.map((gap) => [gap.cause, gap.start])).toEqual([
        ['artefact_missing', Date.UTC(2026, 9, 1)],
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('a bad decision names its row and column, exits 2 and registers nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-bad-review-'));
    const bad = path.join(dir, OKTA_WORKBOOK);
    await completeWorkbook(path.join(out, OKTA_WORKBOOK), bad, [], new Date(REVIEW_DAY), 'maybe');
    const result = await cli('artefacts', 'add', bad, '--type', 'access-review', '--period', '2026-Q3');
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `evidence-worker: FILE: ${OKTA_WORKBOOK} row 3, column "Decision": expected keep or revoke, got "maybe"`,
    );

    // The CSV beside the workbook reads the same way: a row without a reviewer is named too.
    const csv = path.join(dir, OKTA_WORKBOOK.replace('.xlsx', '.csv'));
    copyFileSync(path.join(out, OKTA_WORKBOOK.replace('.xlsx', '.csv')), csv);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    writeFileSync(
      csv,
      [lines[0], ...lines.slice(1).map((line) => `${line.replace(/,,,$/, 'keep,,2026-08-28,')}`)].join('\n'),
    );
    const unsigned = await cli('artefacts', 'add', csv, '--type', 'access-review', '--period', '2026-Q3');
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toMatch(
      /row 2, column "Reviewer": expected who reviewed the account, got nothing/,
    );

    const noPeriod = await cli('access-review', '--period', '2026-Q5', '--out', dir);
    expect(noPeriod.code).toBe(2);
    expect(noPeriod.stderr).toMatch(
      /^evidence-worker: --period: expected a quarter such as 2026-Q3 .*got "2026-Q5"\n$/,
    );

    const list = await cli('artefacts', 'list', '--json');
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { appRunner, type App } from '../../src/app.js';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { formatContinuity } from '../../src/continuity/format.js';
import { labelFromTo } from '../../src/export/audit-period.js';
import { writeAuditorPackage } from '../../src/export/package-writer.js';
import { LocalLimiter } from '../../src/limiter.js';
import { RejectLog } from '../../src/store/reject-log.js';
import { HOUR } from '../../src/time.js';
import { storedPopulation } from '../aws/runner-support.js';
import { ACCOUNT, awsSection, TEST_ENV } from '../aws/support.js';
import { fakeClock, testApp } from '../support/app.js';
import { dropStore, freshStoreUrl, storeKinds } from '../support/stores.js';

const START = Date.UTC(2026, 0, 10, 12);
const WINDOW = { start: START, end: START + HOUR };
const PERIOD = { ...WINDOW, label: labelFromTo(WINDOW) };
const ACCESS = 'aws-cloudtrail-access-changes';
const SAMPLES = 'aws-cloudtrail-log-samples';

const event = (id: string | undefined, minute: number, extra: Record<string, unknown> = {}) => ({
  ...(id === undefined ? {} : { eventID: id }),
  eventTime: new Date(START + minute * 60_000).toISOString(),
  eventName: 'DeleteUser',
  eventSource: 'iam.amazonaws.com',
  awsRegion: 'us-east-1',
  recipientAccountId: ACCOUNT,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice` },
  requestParameters: { userName: `leaver-${id ?? 'unknown'}` },
  ...extra,
});

/** A trail directory with one good file holding poison records, one truncated .gz and one whose Records is no list. */
function trailDirectory() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-poison-'));
  const folder = path.join(dir, `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/01/10`);
  mkdirSync(folder, { recursive: true });
  const name = (minute: string, gz: boolean) =>
    path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_20260110T${minute}Z_x.json${gz ? '.gz' : ''}`);
  writeFileSync(
    name('1215', true),
    gzipSync(
      JSON.stringify({
        Records: [
          event('a', 1),
          event('b', 10),
          // JSON.stringify writes the lone surrogate as the escape \ud800, as a hostile source would.
          event('s', 12, {
            userIdentity: { type: 'IAMUser', userName: 'mal\ud800lory', principalId: 'AIDA1' },
          }),
          event(undefined, 14),
          event('b', 10, { requestParameters: { userName: 'someone-else' } }),
        ],
      }),
    ),
  );
  const truncated = name('1230', true);
  const fullTruncated = gzipSync(JSON.stringify({ Records: [event('d', 25)] }));
  writeFileSync(truncated, fullTruncated.subarray(0, Math.floor(fullTruncated.length / 2)));
  const notAList = name('1240', false);
  writeFileSync(notAList, JSON.stringify({ Records: { eventID: 'e' } }));
  return {
    dir,
    truncated,
    notAList,
    repair() {
      writeFileSync(truncated, fullTruncated);
      writeFileSync(notAList, JSON.stringify({ Records: [event('e', 41)] }));
    },
  };
}

const csvRows = (file: string) =>
  parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];

describe.each(storeKinds)('poison trail input on %s', (kind) => {
  const urls: string[] = [];
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const url of urls) await dropStore(url);
  });

  it('rejects each bad record and file with its real reason, stores the rest, and repairs once the files read', async () => {
    const trail = trailDirectory();
    const url = freshStoreUrl(kind);
    urls.push(url);
    const clock = fakeClock(START + 3 * HOUR);
    const app = await testApp({
      raw: {
        connectors: {
          aws: awsSection({ regions: ['us-east-1'], cloudtrail: { source: 'dir', path: trail.dir } }),
        },
      },
      storeUrl: url,
      env: TEST_ENV,
      clock,
    });
    apps.push(app);
    const store = await app.store();
    const runner = await appRunner(app, new LocalLimiter());
    const collect = (stream: string, trigger: 'backfill' | 'repair') =>
      runner.collect({ stream: app.registry.stream(stream), window: WINDOW, trigger, attempt: 1 });

    const first = await collect(ACCESS, 'backfill');
    expect(first.status).toBe('partial');
    expect(first.error).toBeUndefined();
    const stored = await storedPopulation(store, ACCESS, WINDOW.start, WINDOW.end);
    expect(stored.map((item) => item.key).sort()).toEqual(['a', 'b']);
    // The first read of the conflicting eventID is the one kept.
    expect(stored.find((item) => item.key === 'b')?.payload.target).toBe('user:leaver-b');

    const rejects = await new RejectLog(store).inPeriod(PERIOD, [ACCESS]);
    const byReason = (text: string) => rejects.filter((row) => row.reason.includes(text));
    expect(rejects).toHaveLength(5);
    const surrogate = byReason('lone surrogate in userIdentity.userName');
    expect(surrogate).toHaveLength(1);
    expect(surrogate[0]).toMatchObject({ kind: 'record', item_key: 's' });
    expect(surrogate[0]?.source).toMatch(/_20260110T1215Z_x\.json\.gz record 2$/);
    const noId = byReason('record has no eventID');
    expect(noId).toHaveLength(1);
    expect(noId[0]?.source).toMatch(/record 3$/);
    expect(noId[0]?.raw_sha256).toMatch(/^[0-9a-f]{64}$/);
    const conflict = rejects.filter((row) => row.kind === 'conflicting_duplicate');
    expect(conflict).toHaveLength(1);
    expect(conflict[0]).toMatchObject({ item_key: 'b' });
    expect(conflict[0]?.other_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(conflict[0]?.other_sha256).not.toBe(conflict[0]?.raw_sha256);
    const files = rejects.filter((row) => row.kind === 'file');
    expect(files.map((row) => row.source).sort()).toEqual([trail.truncated, trail.notAList].sort());
    expect(files.find((row) => row.source === trail.truncated)?.reason).toMatch(
      /trail file unreadable: .*(unexpected end of file|incorrect header|invalid)/i,
    );
    expect(files.find((row) => row.source === trail.notAList)?.reason).toContain(
      'has Records of type object, expected a list',
    );
    const truncatedBytes = readFileSync(trail.truncated);
    const { createHash } = await import('node:crypto');
    expect(files.find((row) => row.source === trail.truncated)?.raw_sha256).toBe(
      createHash('sha256').update(truncatedBytes).digest('hex'),
    );

    // Collecting the window again records each reject once.
    expect((await collect(ACCESS, 'backfill')).status).toBe('partial');
    expect(await new RejectLog(store).inPeriod(PERIOD, [ACCESS])).toHaveLength(5);

    // Log samples count every valid event of the hour; the same poison is rejected for that stream too.
    const samples = await collect(SAMPLES, 'backfill');
    expect(samples.status).toBe('partial');
    const sampled = await storedPopulation(store, SAMPLES, WINDOW.start, WINDOW.end);
    expect(sampled.map((item) => item.payload.eventCount)).toEqual([2]);

    // Continuity: a partial window is a recoverable source_unreadable gap, and the rejects are counted.
    const report = await buildContinuityReport(store, app.registry, PERIOD, clock(), {
      streams: [ACCESS, SAMPLES],
    });
    const access = report.streams.find((entry) => entry.stream === ACCESS);
    expect(access?.coveragePercent).toBe(0);
    expect(access?.gaps).toEqual([
      expect.objectContaining({ ...WINDOW, cause: 'source_unreadable', recoverable: true }),
    ]);
    expect(access?.rejected).toEqual({ records: 2, files: 2, conflictingDuplicates: 1 });
    expect(formatContinuity(report)).toContain('source file unreadable (SOURCE_UNREADABLE); recoverable');

    // The package lists every reject, and the conflicting duplicate reaches the exceptions register.
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'ew-poison-pkg-')), 'pkg');
    const written = await writeAuditorPackage(app, { period: PERIOD, out });
    expect(written.rejected).toBe(10);
    const listed = csvRows(path.join(out, `Rejected_Records_${PERIOD.label}.csv`));
    expect(listed.filter((row) => row.Stream === ACCESS)).toHaveLength(5);
    expect(listed.map((row) => row.Reason)).toContain('record has no eventID');
    expect(listed.find((row) => row.Kind === 'file' && row.Source === trail.truncated)).toMatchObject({
      'Window start (UTC)': new Date(WINDOW.start).toISOString(),
      'Raw SHA-256': createHash('sha256').update(truncatedBytes).digest('hex'),
    });
    expect(readFileSync(path.join(out, `Rejected_Records_${PERIOD.label}.xlsx`)).length).toBeGreaterThan(0);
    const register = csvRows(path.join(out, `Exceptions_Register_${PERIOD.label}.csv`));
    const duplicates = register.filter((row) => row.Finding === 'conflicting_duplicate');
    expect(duplicates.map((row) => [row.Stream, row['Item key']])).toEqual(
      expect.arrayContaining([
        [ACCESS, 'b'],
        [SAMPLES, 'b'],
      ]),
    );
    const index = csvRows(path.join(out, `Control_Evidence_Index_${PERIOD.label}.csv`));
    const cc62 = index.find((row) => row.Criterion === 'CC6.2');
    expect(cc62?.['Rejected records']).toContain(`${ACCESS}: 5`);
    const continuityCsv = csvRows(path.join(out, `Continuity_Report_${PERIOD.label}.csv`));
    expect(continuityCsv.find((row) => row.Stream === ACCESS)).toMatchObject({
      Rejected: '5',
      Cause: 'source_unreadable',
      Recoverable: 'yes',
    });
    const html = readFileSync(path.join(out, `Continuity_Report_${PERIOD.label}.html`), 'utf8');
    expect(html).toContain('could not become evidence');

    // Once the files read, a repair run covers the window with every record.
    trail.repair();
    clock.advance(HOUR);
    const repaired = await collect(ACCESS, 'repair');
    expect(repaired.status).toBe('succeeded');
    const after = await storedPopulation(store, ACCESS, WINDOW.start, WINDOW.end);
    expect(after.map((item) => item.key).sort()).toEqual(['a', 'b', 'd', 'e']);
    const healed = await buildContinuityReport(store, app.registry, PERIOD, clock(), { streams: [ACCESS] });
    expect(healed.streams[0]?.coveragePercent).toBe(100);
    expect(healed.streams[0]?.gaps).toEqual([]);
    // Covered, but the records that stayed bad are still counted: 100 % is not shown as clean.
    expect(healed.streams[0]?.rejected?.records).toBe(2);
    expect(formatContinuity(healed)).toMatch(/COMPLETE, with \d+ rejected/);
  }, 120_000);

  it('reads a loose file that was rejected again only when it changed, or for the window that rejected it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-loose-'));
    const loose = path.join(dir, 'export.json');
    writeFileSync(loose, '{"Records": [');
    const url = freshStoreUrl(kind);
    urls.push(url);
    const clock = fakeClock(START + 5 * HOUR);
    const app = await testApp({
      raw: {
        connectors: { aws: awsSection({ regions: ['us-east-1'], cloudtrail: { source: 'dir', path: dir } }) },
      },
      storeUrl: url,
      env: TEST_ENV,
      clock,
    });
    apps.push(app);
    const store = await app.store();
    const runner = await appRunner(app, new LocalLimiter());
    const hour = (n: number) => ({ start: START + n * HOUR, end: START + (n + 1) * HOUR });
    const collect = (n: number, trigger: 'schedule' | 'repair' = 'schedule') =>
      runner.collect({ stream: app.registry.stream(ACCESS), window: hour(n), trigger, attempt: 1 });
    const fileRejects = async () =>
      (await new RejectLog(store).inPeriod({ start: START, end: START + 5 * HOUR }, [ACCESS])).map((row) => [
        row.window_start - START,
        row.kind,
        row.source,
      ]);

    expect((await collect(0)).status).toBe('partial');
    expect(await fileRejects()).toEqual([[0, 'file', loose]]);
    // The next hours do not read it again: nothing new is rejected and the hours are not partial.
    expect((await collect(1)).status).toBe('succeeded');
    expect((await collect(2)).status).toBe('succeeded');
    expect(await fileRejects()).toHaveLength(1);
    // Changed but still unreadable: read and rejected again.
    writeFileSync(loose, '{"Records": {}}');
    expect((await collect(3)).status).toBe('partial');
    expect(await fileRejects()).toEqual([
      [0, 'file', loose],
      [3 * HOUR, 'file', loose],
    ]);
    // Fixed: the repair of the first window reads it and covers that window with its record.
    writeFileSync(loose, JSON.stringify({ Records: [event('loose-1', 30)] }));
    expect((await collect(0, 'repair')).status).toBe('succeeded');
    const stored = await storedPopulation(store, ACCESS, hour(0).start, hour(0).end);
    expect(stored.map((item) => item.key)).toEqual(['loose-1']);
    const report = await buildContinuityReport(store, app.registry, hour(0), clock(), {
      streams: [ACCESS],
    });
    expect(report.streams[0]?.gaps).toEqual([]);
  }, 60_000);
});

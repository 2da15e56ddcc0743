import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudtrailDigestsCheck, cloudtrailDigestsProof } from '../../checks/cloudtrail-digests.js';
import { builtInProofs } from '../../checks/index.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { parseConfig } from '../../src/config/load.js';
import { formatContinuity } from '../../src/continuity/format.js';
import { buildContinuityReport } from '../../src/continuity/report.js';
import { CONTINUITY_HEADERS, continuityRows } from '../../src/export/continuity-csv.js';
import { buildRegistry } from '../../src/registry.js';
import type { DigestItem } from '../../connectors/aws/streams/cloudtrail-digests.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import { DAY, HOUR, alignDown, type Window } from '../../src/time.js';
import { fakeClock } from '../support/app.js';
import { freshStore } from '../support/stores.js';
import { collectDigests, findingsOf, storeFacts } from './digests-support.js';
import { awsRunner, storedPopulation } from './runner-support.js';
import { awsSection } from './support.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
/** The period judged: six hours two days back; collection reaches two hours either side. */
const PERIOD: Window = {
  start: alignDown(NOW - 2 * DAY, DAY) + 8 * HOUR,
  end: alignDown(NOW - 2 * DAY, DAY) + 14 * HOUR,
};
const COLLECTED: Window = { start: PERIOD.start - 2 * HOUR, end: PERIOD.end + 2 * HOUR };

let sandbox: AwsSandbox;

beforeAll(async () => {
  sandbox = await startAwsSandbox({ seed: 3, now: NOW, days: 30 });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => sandbox.tampering.reset());

async function judge(cloudtrail: Record<string, unknown>) {
  const { store } = await freshStore('sqlite');
  const section = awsSection({ url: sandbox.url, cloudtrail });
  const { runner, config } = awsRunner(store, section, fakeClock(NOW));
  const outcomes = await collectDigests(runner, config, COLLECTED);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(outcomes.map(() => 'succeeded'));
  const facts = storeFacts(store, cloudtrailDigestsCheck.streams);
  const findings = await findingsOf(cloudtrailDigestsCheck, facts, PERIOD);
  const items = await storedPopulation(store, 'aws-cloudtrail-digests', PERIOD.start, PERIOD.end);
  const hours = await cloudtrailDigestsProof.hours(facts, PERIOD);
  return {
    store,
    section,
    findings,
    hours,
    items: items as unknown as { key: string; payload: DigestItem }[],
  };
}

const s3Source = () => ({ source: 's3', bucket: sandbox.bucket });

/** A digest of us-east-1 that starts in the middle of the period, and a log file it lists. */
function target() {
  const digest = sandbox
    .digestFiles()
    .find(
      (d) =>
        d.key.includes('/us-east-1/') &&
        d.key.endsWith(`_${stampOf(PERIOD.start + 4 * HOUR + 91_000)}.json.gz`),
    );
  if (!digest) throw new Error('no sandbox digest in the period');
  const listed = sandbox.trailFiles().filter((file) => file.key.includes('/CloudTrail/us-east-1/'));
  const logFile = listed.find((file) => {
    const at = deliveredOf(file.key);
    return at >= PERIOD.start + 3 * HOUR + 91_000 && at < PERIOD.start + 4 * HOUR + 91_000;
  });
  if (!logFile) throw new Error('no sandbox log file in the period');
  return { digest, logFile };
}
const stampOf = (at: number) =>
  new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
function deliveredOf(key: string): number {
  const [, y, mo, d, h, mi] = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(key) ?? [];
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
}

describe('CloudTrail digests from the sandbox bucket', () => {
  it('verify: every signature, chain link and log file holds, no findings', async () => {
    const { findings, items, hours } = await judge(s3Source());
    expect(findings).toEqual([]);
    expect(hours).toHaveLength(12);
    expect(hours.every((hour) => hour.proven)).toBe(true);
    const digests = items.flatMap((item) => (item.payload.kind === 'digest' ? [item.payload] : []));
    // Two regions, one digest an hour each.
    expect(digests).toHaveLength(12);
    for (const digest of digests) {
      expect(digest.signature).toMatchObject({ verified: true, publicKeyFound: true, problem: null });
      expect(digest.previousDigest?.found).toBe(true);
      for (const file of digest.logFiles) expect(file.foundSha256).toBe(file.hashValue);
    }
    expect(digests.some((digest) => digest.logFiles.length > 0)).toBe(true);
    expect(items.filter((item) => item.payload.kind === 'hour')).toHaveLength(12);
  });

  it('a deleted log file is log_file_missing', async () => {
    const { logFile } = target();
    sandbox.tampering.deleteLogFile(logFile.key);
    const { findings } = await judge(s3Source());
    expect(findings.map((f) => f.code)).toEqual(['log_file_missing']);
    expect(findings[0]?.keys).toContain(logFile.key);
  });

  it('an edited log file is log_file_modified', async () => {
    const { logFile } = target();
    sandbox.tampering.editLogFile(logFile.key);
    const { findings } = await judge(s3Source());
    expect(findings.map((f) => f.code)).toEqual(['log_file_modified']);
    expect(findings[0]?.keys).toContain(logFile.key);
  });

  it('a removed digest is digest_missing for its hour, nothing else', async () => {
    const { digest } = target();
    sandbox.tampering.removeDigest(digest.key);
    const { findings, hours, store, section } = await judge(s3Source());
    expect(new Set(findings.map((f) => f.code))).toEqual(new Set(['digest_missing']));
    expect(findings.map((f) => f.occurredAt)).toContain(PERIOD.start + 3 * HOUR);
    expect(findings.every((f) => f.keys[0]?.includes('/us-east-1/'))).toBe(true);
    // The hours the removed digest covered are not proven; the other region's and the rest are.
    const unproven = hours.filter((hour) => !hour.proven);
    expect(unproven.map((hour) => hour.hour)).toContain(PERIOD.start + 3 * HOUR);
    expect(unproven.every((hour) => hour.subject.endsWith('/us-east-1'))).toBe(true);
    expect(hours.filter((hour) => hour.proven).length).toBe(12 - unproven.length);

    // The continuity report (CLI and package) shows the same per hour.
    const registry = await buildRegistry(
      parseConfig({ connectors: { aws: section } }, { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }),
      Catalogue.load(),
    );
    const report = await buildContinuityReport(store, registry, PERIOD, NOW, {
      streams: ['aws-cloudtrail-digests'],
      proofs: builtInProofs,
    });
    const entry = report.streams[0]!;
    expect(entry.proof).toMatchObject({ provenHours: 12 - unproven.length, totalHours: 12 });
    expect(formatContinuity(report)).toContain(`${12 - unproven.length}/12 hours proven`);
    expect(formatContinuity(report)).toContain('NOT proven (digest_missing)');
    const states = continuityRows(entry).map((row) => row[CONTINUITY_HEADERS.indexOf('State')]);
    expect(states).toContain('unproven');
    expect(states).toContain('proven');
  });

  it('a digest signed with another key is digest_signature_invalid', async () => {
    const { digest } = target();
    sandbox.tampering.signDigestWithOtherKey(digest.key);
    const { findings } = await judge(s3Source());
    expect(findings.map((f) => f.code)).toEqual(['digest_signature_invalid']);
    expect(findings[0]?.keys[0]).toBe(`digest/${digest.key}`);
  });

  it('the directory source, with signature sidecars, verifies the same', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-digests-'));
    await sandbox.writeTrailFiles(dir);
    expect(sandbox.writeDigestFiles(dir)).toBeGreaterThan(0);
    const { findings, items } = await judge({ source: 'dir', path: dir });
    expect(findings).toEqual([]);
    expect(items.filter((item) => item.payload.kind === 'digest')).toHaveLength(12);
  });
});

describe('CloudTrail digests around a logging outage', () => {
  let withOutage: AwsSandbox;
  beforeAll(async () => {
    withOutage = await startAwsSandbox({ seed: 5, now: NOW, days: 35 });
  });
  afterAll(async () => {
    await withOutage?.stop();
  });

  it('no digest while logging was stopped is no finding; the chain starts again after', async () => {
    const { outage } = withOutage.groundTruth;
    const period = {
      start: alignDown(outage.start, HOUR) - 2 * HOUR,
      end: alignDown(outage.end, HOUR) + 3 * HOUR,
    };
    const { store } = await freshStore('sqlite');
    const section = awsSection({
      url: withOutage.url,
      cloudtrail: { source: 's3', bucket: withOutage.bucket },
    });
    const { runner, config } = awsRunner(store, section, fakeClock(NOW));
    await collectDigests(runner, config, { start: period.start - 2 * HOUR, end: period.end + 2 * HOUR });
    const facts = storeFacts(store, cloudtrailDigestsCheck.streams);
    expect(await findingsOf(cloudtrailDigestsCheck, facts, period)).toEqual([]);
    const items = await storedPopulation(store, 'aws-cloudtrail-digests', period.start, period.end);
    const starts = items.flatMap((item) =>
      item.payload.kind === 'digest' && item.payload.previousDigestS3Object === null ? [item.key] : [],
    );
    // Each region starts a new chain once logging is back (one also after the files of its first outage hour).
    expect(starts.length, 'a new chain in each region after the outage').toBeGreaterThanOrEqual(2);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SandboxRecord } from './iam-model.js';
import { seededRandom } from './random.js';

const HOUR = 3_600_000;

export interface TrailFile {
  readonly key: string;
  readonly body: Buffer;
  readonly records: number;
}

const stamp = (at: number) => new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';

/**
 * Lays the events out as CloudTrail delivers them: one file per region and hour, delivered 1 to 14 minutes
 * after the hour ends (so files near midnight land in the next day's folder), under
 * AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/. About 5% of events are delivered twice, in the next file,
 * and every seventh file is plain .json, as in user exports.
 */
export function layoutTrailFiles(
  events: readonly SandboxRecord[],
  account: string,
  seed: number,
): TrailFile[] {
  const random = seededRandom(seed ^ 0x5eed);
  const byFile = new Map<string, { delivered: number; region: string; records: SandboxRecord[] }>();
  for (const record of events) {
    const hour = Math.floor(Date.parse(record.eventTime) / HOUR) * HOUR;
    const id = `${record.awsRegion}/${hour}`;
    let file = byFile.get(id);
    if (!file) {
      file = {
        delivered: hour + HOUR + (1 + Math.floor(random() * 14)) * 60_000,
        region: record.awsRegion,
        records: [],
      };
      byFile.set(id, file);
    }
    file.records.push(record);
  }
  const ordered = [...byFile.values()].sort((a, b) => a.delivered - b.delivered);
  const nextOfRegion = new Map<string, { records: SandboxRecord[] }>();
  for (let index = ordered.length - 1; index >= 0; index -= 1) {
    const file = ordered[index] as (typeof ordered)[number];
    const next = nextOfRegion.get(file.region);
    const repeats = next ? file.records.filter(() => random() < 0.05) : [];
    next?.records.push(...repeats);
    nextOfRegion.set(file.region, file);
  }
  return ordered.map((file, index) => {
    const day = new Date(file.delivered).toISOString().slice(0, 10).split('-').join('/');
    const plain = index % 7 === 3;
    const name = `${account}_CloudTrail_${file.region}_${stamp(file.delivered)}_${index.toString(36).padStart(4, '0')}.json${plain ? '' : '.gz'}`;
    const json = Buffer.from(JSON.stringify({ Records: file.records }));
    return {
      key: `AWSLogs/${account}/CloudTrail/${file.region}/${day}/${name}`,
      body: plain ? json : gzipSync(json, { level: 1 }),
      records: file.records.length,
    };
  });
}

export function writeTrailFilesTo(dir: string, files: readonly TrailFile[]): Promise<number> {
  const folders = new Set(files.map((file) => path.dirname(path.join(dir, file.key))));
  // Synchronous writes: thousands of small files go several times faster than through the promise API.
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(path.join(dir, file.key), file.body);
  return Promise.resolve(files.length);
}

import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { DAY } from '../../src/time.js';
import { awsCall } from './aws-errors.js';

/**
 * Where trail files live: a bucket or a local directory, in the standard CloudTrail layout
 * (AWSLogs/<account>/CloudTrail/...) or an organisation trail's (AWSLogs/<organisation id>/<account>/...).
 */
export interface TrailFileStore {
  /** Keys of the files delivered for one account, region and UTC day. */
  listDay(account: string, region: string, day: number): Promise<string[]>;
  read(key: string): Promise<Uint8Array>;
  /** Files outside the standard layout (a flat export); listed once per window and filtered by record. */
  listLoose(): Promise<string[]>;
  /** Size and modification time of a file, to tell whether it changed since it was last read. */
  fingerprint?(key: string): Promise<string | undefined>;
}

const TRAIL_FILE = /\.json(\.gz)?$/;

export function dayPath(
  account: string,
  region: string,
  day: number,
  organizationId?: string | undefined,
): string {
  const [y, m, d] = new Date(day).toISOString().slice(0, 10).split('-');
  const owner = organizationId ? `${organizationId}/${account}` : account;
  return `AWSLogs/${owner}/CloudTrail/${region}/${y}/${m}/${d}/`;
}

// e.g. 123456789012_CloudTrail_us-east-1_20250101T0005Z_a1b2c3.json.gz: the minute the file was delivered.
const DELIVERED = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z[_.]/;

/** Delivery time from the file name, or undefined when the name does not follow the layout. */
export function deliveredAt(key: string): number | undefined {
  const match = DELIVERED.exec(path.posix.basename(key));
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
}

/**
 * The day folders and files that may hold events of [start, end): a record is delivered after it occurred
 * and at most `lateMs` later, and file names carry the delivery minute.
 */
export async function candidateFiles(
  store: TrailFileStore,
  account: string,
  region: string,
  window: { start: number; end: number },
  lateMs: number,
): Promise<string[]> {
  const keys: string[] = [];
  const firstDay = Math.floor(window.start / DAY) * DAY;
  for (let day = firstDay; day < window.end + lateMs; day += DAY) {
    for (const key of await store.listDay(account, region, day)) {
      const at = deliveredAt(key);
      // Names are truncated to the minute; a file named a minute before the window may still hold its events.
      if (at === undefined || (at >= window.start - 60_000 && at < window.end + lateMs)) keys.push(key);
    }
  }
  return keys.sort();
}

/** A trail file's text, gunzipped where it is compressed. */
export function trailFileText(key: string, bytes: Uint8Array): string {
  const gzipped = key.endsWith('.gz') || (bytes[0] === 0x1f && bytes[1] === 0x8b);
  return (gzipped ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8');
}

export function decodeTrailFile(key: string, bytes: Uint8Array): unknown {
  return JSON.parse(trailFileText(key, bytes)) as unknown;
}

export class DirectoryTrailFiles implements TrailFileStore {
  constructor(
    private readonly root: string,
    private readonly organizationId?: string,
  ) {}

  async listDay(account: string, region: string, day: number): Promise<string[]> {
    const folder = path.join(this.root, dayPath(account, region, day, this.organizationId));
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names.filter((name) => TRAIL_FILE.test(name)).map((name) => path.join(folder, name));
  }

  read(key: string): Promise<Uint8Array> {
    // Trail files are small; one synchronous read is several times faster than open/stat/read/close.
    try {
      return Promise.resolve(readFileSync(key));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  async fingerprint(key: string): Promise<string | undefined> {
    const info = await stat(key).catch(() => undefined);
    return info ? `${info.size}:${info.mtimeMs}` : undefined;
  }

  async listLoose(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (folder: string) => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        // The standard layout is read day by day; only files outside it are loose.
        if (entry.isDirectory() && !(folder === this.root && entry.name === 'AWSLogs')) await walk(full);
        else if (entry.isFile() && TRAIL_FILE.test(entry.name)) found.push(full);
      }
    };
    if ((await stat(this.root).catch(() => undefined))?.isDirectory()) await walk(this.root);
    return found.sort();
  }
}

export class S3TrailFiles implements TrailFileStore {
  private readonly prefix: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    prefix: string,
    private readonly organizationId?: string,
  ) {
    this.prefix = prefix ? `${prefix.replace(/\/+$/, '')}/` : '';
  }

  async listDay(account: string, region: string, day: number): Promise<string[]> {
    // The SDK loads on first use, so the CLI's other commands start without it.
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await awsCall(`s3 ListObjectsV2 s3://${this.bucket}`, () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${this.prefix}${dayPath(account, region, day, this.organizationId)}`,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && TRAIL_FILE.test(object.Key)) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async read(key: string): Promise<Uint8Array> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    return awsCall(`s3 GetObject s3://${this.bucket}/${key}`, async () => {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) throw new Error('empty body');
      return object.Body.transformToByteArray();
    });
  }

  async listLoose(): Promise<string[]> {
    return []; // a bucket written by CloudTrail always uses the standard layout
  }
}

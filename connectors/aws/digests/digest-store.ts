import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { awsCall, toAwsEvidenceError } from '../aws-errors.js';
import type { CloudtrailSource } from '../config.js';
import { DirectoryTrailFiles, S3TrailFiles, type TrailFileStore } from '../trail-files.js';
import { layoutPath } from './digest-format.js';

/** An object as read: its bytes and the signature metadata CloudTrail set on it. */
export interface StoredObject {
  readonly bytes: Uint8Array;
  /** `x-amz-meta-signature` (hex), or the directory sidecar's `signature`. */
  readonly signature: string | undefined;
  /** `x-amz-meta-signature-algorithm`. */
  readonly signatureAlgorithm: string | undefined;
}

/** Where digest files and the log files they list are read: the trail's bucket or a directory copy of it. */
export interface DigestStore {
  /** `s3` for a bucket (keys are bucket keys), `dir` for a directory (keys are paths under it). */
  readonly kind: 's3' | 'dir';
  readonly bucket: string | undefined;
  /** Keys of the digest files of one account, region and UTC day (the day the digest ended). */
  listDigests(account: string, region: string, day: number): Promise<string[]>;
  /** The object named by a bucket key (as a digest names it), or undefined when it is not there. */
  read(key: string): Promise<StoredObject | undefined>;
  /** The trail's log files, read day by day as the event streams read them. */
  readonly logFiles: TrailFileStore;
}

/**
 * The sidecar beside a digest in a directory copy: S3 object metadata does not survive a copy to disk, so
 * whoever copies the bucket writes `<digest>.metadata.json` = `{"signature": "<hex>",
 * "signature-algorithm": "SHA256withRSA"}` (the sandbox does).
 */
export const SIDECAR_SUFFIX = '.metadata.json';

function digestDayPath(account: string, region: string, day: number, organizationId?: string): string {
  const [y, m, d] = new Date(day).toISOString().slice(0, 10).split('-');
  const owner = organizationId ? `${organizationId}/${account}` : account;
  return `AWSLogs/${owner}/CloudTrail-Digest/${region}/${y}/${m}/${d}/`;
}

const DIGEST_FILE = /_CloudTrail-Digest_.+\.json\.gz$/;

function isNoSuchKey(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

class S3DigestStore implements DigestStore {
  readonly kind = 's3';
  private readonly prefix: string;
  readonly logFiles: TrailFileStore;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    prefix: string,
    private readonly organizationId?: string,
  ) {
    this.prefix = prefix ? `${prefix.replace(/\/+$/, '')}/` : '';
    this.logFiles = new S3TrailFiles(s3, bucket, prefix, organizationId);
  }

  async listDigests(account: string, region: string, day: number): Promise<string[]> {
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await awsCall(`s3 ListObjectsV2 s3://${this.bucket}`, () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${this.prefix}${digestDayPath(account, region, day, this.organizationId)}`,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && DIGEST_FILE.test(object.Key)) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async read(key: string): Promise<StoredObject | undefined> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) throw new Error('empty body');
      const bytes = await object.Body.transformToByteArray();
      // The SDK hands x-amz-meta-* headers back without the prefix.
      return {
        bytes,
        signature: object.Metadata?.signature,
        signatureAlgorithm: object.Metadata?.['signature-algorithm'],
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw toAwsEvidenceError(error, `s3 GetObject s3://${this.bucket}/${key}`);
    }
  }
}

const sidecarSchema = (value: unknown) => {
  const v = (value ?? {}) as Record<string, unknown>;
  return {
    signature: typeof v.signature === 'string' ? v.signature : undefined,
    signatureAlgorithm: typeof v['signature-algorithm'] === 'string' ? v['signature-algorithm'] : undefined,
  };
};

class DirectoryDigestStore implements DigestStore {
  readonly kind = 'dir';
  readonly bucket = undefined;
  readonly logFiles: TrailFileStore;

  constructor(
    private readonly root: string,
    private readonly organizationId?: string,
  ) {
    this.logFiles = new DirectoryTrailFiles(root, organizationId);
  }

  async listDigests(account: string, region: string, day: number): Promise<string[]> {
    const folder = digestDayPath(account, region, day, this.organizationId);
    const names = await readdir(path.join(this.root, folder)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names
      .filter((name) => DIGEST_FILE.test(name))
      .map((name) => `${folder}${name}`)
      .sort();
  }

  async read(key: string): Promise<StoredObject | undefined> {
    // A directory copy has no bucket prefix: keys are looked up from AWSLogs/ on.
    const file = path.join(this.root, layoutPath(key));
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!bytes) return undefined;
    const sidecar = await readFile(`${file}${SIDECAR_SUFFIX}`, 'utf8').then(
      (text) => sidecarSchema(JSON.parse(text) as unknown),
      () => ({ signature: undefined, signatureAlgorithm: undefined }),
    );
    return { bytes, ...sidecar };
  }
}

export function digestStore(
  source: Exclude<CloudtrailSource, { source: 'lookup' }>,
  s3: S3Client,
): DigestStore {
  return source.source === 's3'
    ? new S3DigestStore(s3, source.bucket, source.prefix, source.organizationId)
    : new DirectoryDigestStore(source.path, source.organizationId);
}

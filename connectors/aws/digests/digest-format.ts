import { z } from 'zod';

/**
 * A CloudTrail digest file as AWS documents it ("CloudTrail digest file structure"). Unknown fields are
 * kept out of the facts but do not make a digest unreadable.
 */
export const digestLogFileSchema = z.object({
  s3Bucket: z.string(),
  s3Object: z.string(),
  hashValue: z.string(),
  hashAlgorithm: z.string(),
  newestEventTime: z.string().nullish(),
  oldestEventTime: z.string().nullish(),
});

export const digestFileSchema = z.object({
  awsAccountId: z.string(),
  digestStartTime: z.string(),
  digestEndTime: z.string(),
  digestS3Bucket: z.string(),
  digestS3Object: z.string(),
  digestPublicKeyFingerprint: z.string(),
  digestSignatureAlgorithm: z.string(),
  newestEventTime: z.string().nullish(),
  oldestEventTime: z.string().nullish(),
  previousDigestS3Bucket: z.string().nullish(),
  previousDigestS3Object: z.string().nullish(),
  previousDigestHashValue: z.string().nullish(),
  previousDigestHashAlgorithm: z.string().nullish(),
  /** Null on the first digest of a chain (logging or validation just started). */
  previousDigestSignature: z.string().nullable(),
  logFiles: z.array(digestLogFileSchema),
});

export type DigestFile = z.infer<typeof digestFileSchema>;

// <acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHmmssZ>.json.gz
const DIGEST_NAME =
  /^(\d{12})_CloudTrail-Digest_([a-z]{2}(?:-[a-z]+)+-\d)_(.+)_([a-z]{2}(?:-[a-z]+)+-\d)_(\d{8}T\d{6}Z)\.json\.gz$/;

export interface DigestName {
  readonly account: string;
  readonly region: string;
  readonly trail: string;
  readonly homeRegion: string;
  /** The digest's end time, as named: what `aws cloudtrail validate-logs` orders digests by. */
  readonly endsAt: number;
}

export function parseDigestName(name: string): DigestName | undefined {
  const match = DIGEST_NAME.exec(name);
  if (!match) return undefined;
  const [, account, region, trail, homeRegion, stamp] = match as unknown as [string, ...string[]];
  const s = stamp as string;
  const endsAt = Date.UTC(
    Number(s.slice(0, 4)),
    Number(s.slice(4, 6)) - 1,
    Number(s.slice(6, 8)),
    Number(s.slice(9, 11)),
    Number(s.slice(11, 13)),
    Number(s.slice(13, 15)),
  );
  return {
    account: account as string,
    region: region as string,
    trail: trail as string,
    homeRegion: homeRegion as string,
    endsAt,
  };
}

/** `YYYYMMDDTHHmmssZ`, as digest names carry their end time. */
export function digestStamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `YYYY-MM-DDTHH:mm:ssZ`, the UTC extended format digest fields use (no milliseconds). */
export function digestTime(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The part of a bucket key from `AWSLogs/` on: what a key in a digest and a file found in a directory
 * copy of the bucket (which has no prefix) have in common.
 */
export function layoutPath(key: string): string {
  const at = key.indexOf('AWSLogs/');
  return at < 0 ? key : key.slice(at);
}

import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { digestFileSchema, layoutPath, type DigestName } from './digest-format.js';
import type { DigestStore, StoredObject } from './digest-store.js';
import type { PublicKeys } from './public-keys.js';
import { sha256Hex, signingString, verifyDigestSignature } from './signing.js';

const nullableText = z.string().nullable();

/** What was found in the bucket for one log file a digest lists. */
export const listedLogFileSchema = z.object({
  s3Bucket: z.string(),
  s3Object: z.string(),
  /** As the digest lists it: SHA-256 of the uncompressed file, hex. */
  hashValue: z.string(),
  hashAlgorithm: z.string(),
  found: z.boolean(),
  /** SHA-256 of the uncompressed file as found now; null when missing or not gzip. */
  foundSha256: nullableText,
  /** Why the file found could not be hashed (not gzip, truncated). */
  readProblem: nullableText,
});

/** One digest file: its fields as CloudTrail wrote them and what reading and verifying it found. */
export const digestFactSchema = z.object({
  kind: z.literal('digest'),
  account: z.string(),
  region: z.string(),
  trail: z.string(),
  /** Where the digest was found: the bucket (null for a directory copy) and key. */
  foundBucket: nullableText,
  foundKey: z.string(),
  awsAccountId: z.string(),
  digestStartTime: z.string(),
  digestEndTime: z.string(),
  digestS3Bucket: z.string(),
  digestS3Object: z.string(),
  digestPublicKeyFingerprint: z.string(),
  digestSignatureAlgorithm: z.string(),
  newestEventTime: nullableText,
  oldestEventTime: nullableText,
  previousDigestS3Bucket: nullableText,
  previousDigestS3Object: nullableText,
  previousDigestHashValue: nullableText,
  previousDigestHashAlgorithm: nullableText,
  previousDigestSignature: nullableText,
  /** SHA-256 of the uncompressed digest file, hex (part of the signed string; the next digest cites it). */
  digestSha256: z.string(),
  signature: z.object({
    /** `x-amz-meta-signature` and `-algorithm` of the object (or the directory sidecar); null when absent. */
    value: nullableText,
    algorithm: nullableText,
    /** Whether ListPublicKeys listed a key with the digest's fingerprint. */
    publicKeyFound: z.boolean(),
    /** RSA-SHA256 verification of the signing string; null when it could not be attempted. */
    verified: z.boolean().nullable(),
    /** Why verification could not be attempted. */
    problem: nullableText,
  }),
  /** The previous digest the chain names, as found now (null when the digest names none). */
  previousDigest: z.object({ found: z.boolean(), sha256: nullableText, signature: nullableText }).nullable(),
  logFiles: z.array(listedLogFileSchema),
});

export type DigestFact = z.infer<typeof digestFactSchema>;

export class UnreadableDigest extends Error {}

export function decodeDigest(bytes: Uint8Array): { uncompressed: Buffer; body: unknown } {
  let uncompressed: Buffer;
  try {
    uncompressed = gunzipSync(bytes);
  } catch (error) {
    throw new UnreadableDigest(`digest is not gzip: ${(error as Error).message}`, { cause: error });
  }
  try {
    return { uncompressed, body: JSON.parse(uncompressed.toString('utf8')) as unknown };
  } catch (error) {
    throw new UnreadableDigest(`digest is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

async function logFileFound(store: DigestStore, key: string) {
  const object = await store.read(key);
  if (!object) return { found: false, foundSha256: null, readProblem: null };
  try {
    // CloudTrail delivers gzip; a plain JSON copy (an export) is hashed as it is, which is its content.
    const content = isGzip(object.bytes) ? gunzipSync(object.bytes) : object.bytes;
    return { found: true, foundSha256: sha256Hex(content), readProblem: null };
  } catch (error) {
    return { found: true, foundSha256: null, readProblem: `gzip: ${(error as Error).message}` };
  }
}

async function signatureOf(
  object: StoredObject,
  digest: z.infer<typeof digestFileSchema>,
  uncompressed: Uint8Array,
  region: string,
  keys: PublicKeys,
): Promise<DigestFact['signature']> {
  const value = object.signature ?? null;
  const algorithm = object.signatureAlgorithm ?? null;
  const key = await keys.find(region, digest.digestPublicKeyFingerprint);
  const base = { value, algorithm, publicKeyFound: key !== undefined };
  if (key === undefined)
    return {
      ...base,
      verified: null,
      problem: `no public key with fingerprint ${digest.digestPublicKeyFingerprint}`,
    };
  if (key instanceof Error)
    return { ...base, verified: null, problem: `public key unreadable: ${key.message}` };
  if (value === null) return { ...base, verified: null, problem: 'the digest object carries no signature' };
  if (algorithm !== null && algorithm !== 'SHA256withRSA')
    return { ...base, verified: null, problem: `unsupported signature algorithm ${algorithm}` };
  const verified = verifyDigestSignature(key, signingString(digest, uncompressed), value);
  return { ...base, verified, problem: null };
}

/** The previous digest as found now: its hash and signature, or that it is gone. */
async function foundDigest(
  store: DigestStore,
  key: string,
): Promise<NonNullable<DigestFact['previousDigest']>> {
  const previous = await store.read(key);
  if (!previous) return { found: false, sha256: null, signature: null };
  let sha256: string | null = null;
  try {
    sha256 = sha256Hex(gunzipSync(previous.bytes));
  } catch {
    // Not gzip: it cannot be the file the chain recorded; a null hash never matches.
  }
  return { found: true, sha256, signature: previous.signature ?? null };
}

/** Reads one digest object and everything it points to, and records what was found. */
export async function digestFact(
  store: DigestStore,
  key: string,
  name: DigestName,
  object: StoredObject,
  keys: PublicKeys,
  /** Digests already read in this run, by layout path: the next digest's chain link needs no second read. */
  known: Map<string, NonNullable<DigestFact['previousDigest']>>,
): Promise<DigestFact> {
  const { uncompressed, body } = decodeDigest(object.bytes);
  known.set(layoutPath(key), {
    found: true,
    sha256: sha256Hex(uncompressed),
    signature: object.signature ?? null,
  });
  const parsed = digestFileSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnreadableDigest(`digest field ${issue?.path.join('.') || '(file)'}: ${issue?.message}`);
  }
  const digest = parsed.data;
  let previousDigest: DigestFact['previousDigest'] = null;
  if (digest.previousDigestS3Object) {
    const path = layoutPath(digest.previousDigestS3Object);
    previousDigest = known.get(path) ?? (await foundDigest(store, digest.previousDigestS3Object));
  }
  const logFiles: DigestFact['logFiles'] = [];
  for (const file of digest.logFiles) {
    logFiles.push({
      s3Bucket: file.s3Bucket,
      s3Object: file.s3Object,
      hashValue: file.hashValue,
      hashAlgorithm: file.hashAlgorithm,
      ...(await logFileFound(store, file.s3Object)),
    });
  }
  return {
    kind: 'digest',
    account: name.account,
    region: name.region,
    trail: name.trail,
    foundBucket: store.bucket ?? null,
    foundKey: store.kind === 'dir' ? layoutPath(key) : key,
    awsAccountId: digest.awsAccountId,
    digestStartTime: digest.digestStartTime,
    digestEndTime: digest.digestEndTime,
    digestS3Bucket: digest.digestS3Bucket,
    digestS3Object: digest.digestS3Object,
    digestPublicKeyFingerprint: digest.digestPublicKeyFingerprint,
    digestSignatureAlgorithm: digest.digestSignatureAlgorithm,
    newestEventTime: digest.newestEventTime ?? null,
    oldestEventTime: digest.oldestEventTime ?? null,
    previousDigestS3Bucket: digest.previousDigestS3Bucket ?? null,
    previousDigestS3Object: digest.previousDigestS3Object ?? null,
    previousDigestHashValue: digest.previousDigestHashValue ?? null,
    previousDigestHashAlgorithm: digest.previousDigestHashAlgorithm ?? null,
    previousDigestSignature: digest.previousDigestSignature,
    digestSha256: sha256Hex(uncompressed),
    signature: await signatureOf(object, digest, uncompressed, name.region, keys),
    previousDigest,
    logFiles,
  };
}

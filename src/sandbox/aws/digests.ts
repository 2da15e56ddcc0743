import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TrailFile } from './trail-files.js';

const HOUR = 3_600_000;
// Real digests start a little after the hour (e.g. 14:01:31): the sandbox's do too, so nothing may assume
// digests align with clock hours.
const DIGEST_OFFSET_MS = 91_000;

/** A signing key pair as CloudTrail keeps one per region; the sandbox uses one for all regions. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  /** PKCS#1 DER of the public key, as ListPublicKeys serves it. */
  readonly publicDer: Buffer;
  /** Hex MD5 of the public DER: the 32 hex digits a digest's digestPublicKeyFingerprint carries. */
  readonly fingerprint: string;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicDer = publicKey.export({ format: 'der', type: 'pkcs1' });
  return { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
}

/** A digest as delivered: the gzipped JSON and the object metadata CloudTrail sets on it. */
export interface DigestObject extends TrailFile {
  readonly metadata: { readonly signature: string; readonly 'signature-algorithm': 'SHA256withRSA' };
}

export interface DigestLayout {
  readonly account: string;
  readonly bucket: string;
  readonly trail: string;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  /** Digests are delivered for [from, to): log file validation was on then. */
  readonly from: number;
  readonly to: number;
  /** Logging stopped: no digest for those hours, and the chain starts again after. */
  readonly outage: { readonly start: number; readonly end: number };
  readonly key: SigningKey;
  /** A key CloudTrail never published, and the digests signed with it instead (fault hook). */
  readonly otherKey?: SigningKey;
  readonly signedWithOtherKey?: ReadonlySet<string>;
}

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
const stamp = (at: number) => iso(at).replace(/[-:]/g, '');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const uncompressed = (file: TrailFile) =>
  file.body[0] === 0x1f && file.body[1] === 0x8b ? gunzipSync(file.body) : file.body;

// e.g. 123456789012_CloudTrail_us-east-1_20250101T0105Z_0001.json.gz
const DELIVERED = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;
function deliveredAt(key: string): number {
  const [, y, mo, d, h, mi] = DELIVERED.exec(key) ?? [];
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
}

/**
 * The digest files CloudTrail would deliver for these log files: one per region and hour, each listing the
 * log files delivered in its hour with the SHA-256 of their uncompressed content, chained to the previous
 * digest of its region by hash and signature, and signed as `aws cloudtrail validate-logs` verifies:
 * SHA256withRSA over "digestEndTime\nbucket/key\nhex(SHA-256 of the digest)\npreviousSignature".
 */
export function layoutDigests(logFiles: readonly TrailFile[], layout: DigestLayout): DigestObject[] {
  const digests: DigestObject[] = [];
  for (const region of layout.regions) {
    const ofRegion = logFiles
      .filter((file) => file.key.includes(`/CloudTrail/${region}/`))
      .map((file) => ({ file, at: deliveredAt(file.key) }));
    let previous: DigestObject | undefined;
    let previousHash: string | undefined;
    const first = Math.ceil(layout.from / HOUR) * HOUR + DIGEST_OFFSET_MS;
    for (let start = first; start + HOUR <= layout.to; start += HOUR) {
      const end = start + HOUR;
      const listed = ofRegion.filter(({ at }) => at >= start && at < end);
      // Logging stopped: no digest once the last files are delivered, and a new chain after.
      if (start < layout.outage.end && end > layout.outage.start && listed.length === 0) {
        previous = undefined;
        continue;
      }
      const day = iso(end).slice(0, 10).split('-').join('/');
      const key = `AWSLogs/${layout.account}/CloudTrail-Digest/${region}/${day}/${layout.account}_CloudTrail-Digest_${region}_${layout.trail}_${layout.homeRegion}_${stamp(end)}.json.gz`;
      const signer = layout.signedWithOtherKey?.has(key) && layout.otherKey ? layout.otherKey : layout.key;
      const body = {
        awsAccountId: layout.account,
        digestStartTime: iso(start),
        digestEndTime: iso(end),
        digestS3Bucket: layout.bucket,
        digestS3Object: key,
        digestPublicKeyFingerprint: layout.key.fingerprint,
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: listed.length > 0 ? iso((listed.at(-1) as { at: number }).at) : null,
        oldestEventTime: listed.length > 0 ? iso((listed[0] as { at: number }).at) : null,
        previousDigestS3Bucket: previous ? layout.bucket : null,
        previousDigestS3Object: previous?.key ?? null,
        previousDigestHashValue: previous ? previousHash : null,
        previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
        previousDigestSignature: previous?.metadata.signature ?? null,
        logFiles: listed.map(({ file }) => ({
          s3Bucket: layout.bucket,
          s3Object: file.key,
          hashValue: sha256(uncompressed(file)),
          hashAlgorithm: 'SHA-256',
          newestEventTime: iso(deliveredAt(file.key)),
          oldestEventTime: iso(deliveredAt(file.key) - HOUR),
        })),
      };
      const json = Buffer.from(JSON.stringify(body));
      const hash = sha256(json);
      const signing = `${body.digestEndTime}\n${layout.bucket}/${key}\n${hash}\n${body.previousDigestSignature ?? 'null'}`;
      const signature = sign('sha256', Buffer.from(signing), signer.privateKey).toString('hex');
      const digest: DigestObject = {
        key,
        body: gzipSync(json, { level: 1 }),
        records: listed.length,
        metadata: { signature, 'signature-algorithm': 'SHA256withRSA' },
      };
      digests.push(digest);
      previous = digest;
      previousHash = hash;
    }
  }
  return digests;
}

/**
 * Writes digests for the directory source, each with its `<digest>.metadata.json` sidecar holding what S3
 * keeps as object metadata (a copy to disk loses it).
 */
export function writeDigestsTo(dir: string, digests: readonly DigestObject[]): number {
  for (const digest of digests) {
    const file = path.join(dir, digest.key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, digest.body);
    writeFileSync(`${file}.metadata.json`, JSON.stringify(digest.metadata));
  }
  return digests.length;
}

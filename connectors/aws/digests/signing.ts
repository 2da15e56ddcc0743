import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { DigestFile } from './digest-format.js';

/**
 * The data CloudTrail signs for a digest, as `aws cloudtrail validate-logs` rebuilds it
 * (awscli/customizations/cloudtrail/validation.py, Sha256RSADigestValidator): digestEndTime, the digest's
 * bucket/key, the hex SHA-256 of the uncompressed digest file and the previous digest's signature ("null"
 * on the first digest of a chain), joined by newlines.
 */
export function signingString(
  digest: Pick<DigestFile, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>,
  uncompressed: Uint8Array,
): string {
  return [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    sha256Hex(uncompressed),
    digest.previousDigestSignature ?? 'null',
  ].join('\n');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/**
 * A public key as ListPublicKeys gives it: DER (PKCS#1, as AWS documents, or SubjectPublicKeyInfo). The
 * AWS CLI base64-decodes the blob the SDK already decoded, so the value may arrive as base64 text of the
 * DER: both are accepted.
 */
export function publicKeyFrom(value: Uint8Array): KeyObject {
  let der = Buffer.from(value);
  const text = der.toString('latin1');
  if (BASE64_TEXT.test(text)) der = Buffer.from(text, 'base64');
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}

/** RSA PKCS#1 v1.5 over SHA-256 of the signing string ("SHA256withRSA"); the signature is hex. */
export function verifyDigestSignature(key: KeyObject, signing: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/i.test(signatureHex)) return false;
  return verify('sha256', Buffer.from(signing, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
}

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './manifest.js';

/** What MANIFEST.json.sig holds: an Ed25519 signature over the exact bytes of MANIFEST.json. */
const signatureSchema = z.object({
  algorithm: z.literal('Ed25519'),
  signedFile: z.literal(MANIFEST_FILE),
  /** SHA-256 of the public key (DER, SubjectPublicKeyInfo), to tell which key signed. */
  publicKeySha256: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

export type PackageSignature = z.infer<typeof signatureSchema>;

export const PRIVATE_KEY_FILE = 'signing-key.pem';
export const PUBLIC_KEY_FILE = 'signing-key.pub.pem';

/** The fingerprint printed beside a signature and a key: SHA-256 of the public key's DER encoding. */
export function keyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex');
}

function requireEd25519(key: KeyObject, label: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UsageError(`${label}: expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'another'} key`);
  return key;
}

/**
 * The signing key from `signing.privateKey`: the PEM itself (from `${VAR}`) or a file path, relative to the
 * config file. Errors name the field, never the key.
 */
export async function loadSigningKey(value: string, baseDir: string): Promise<KeyObject> {
  const label = 'config: signing.privateKey';
  let pem = value;
  if (!value.trimStart().startsWith('-----BEGIN')) {
    try {
      pem = await readFile(path.resolve(baseDir, value), 'utf8');
    } catch (error) {
      throw new UsageError(
        `${label}: cannot read key file ${value} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  // Whatever prints text scrubs known secrets: the PEM is one from here on.
  registerSecret(pem.trim());
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new UsageError(`${label}: expected a PEM private key (see "keys generate")`);
  }
  return requireEd25519(key, label);
}

/** Signs MANIFEST.json's bytes and writes MANIFEST.json.sig beside it. */
export async function signManifest(dir: string, key: KeyObject): Promise<PackageSignature> {
  const bytes = await readFile(path.join(dir, MANIFEST_FILE));
  const signature: PackageSignature = {
    algorithm: 'Ed25519',
    signedFile: MANIFEST_FILE,
    publicKeySha256: keyFingerprint(key),
    signature: sign(null, bytes, key).toString('base64'),
  };
  await writeFile(path.join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  return signature;
}

export type SignatureCheck =
  { readonly ok: true; readonly fingerprint: string } | { readonly ok: false; readonly problem: string };

/** Reads a public key (PEM) handed to the auditor separately. */
export async function loadPublicKey(file: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--public-key: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return requireEd25519(createPublicKey(pem), '--public-key');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--public-key: ${file} is not a PEM public key`);
  }
}

/** Checks MANIFEST.json.sig against MANIFEST.json with the auditor's copy of the public key. */
export async function checkSignature(dir: string, publicKey: KeyObject): Promise<SignatureCheck> {
  const expected = keyFingerprint(publicKey);
  let text: string;
  try {
    text = await readFile(path.join(dir, SIGNATURE_FILE), 'utf8');
  } catch {
    return { ok: false, problem: `the package is not signed (no ${SIGNATURE_FILE})` };
  }
  let parsed: PackageSignature;
  try {
    parsed = signatureSchema.parse(JSON.parse(text));
  } catch {
    return { ok: false, problem: `${SIGNATURE_FILE} is not a signature this tool wrote` };
  }
  if (parsed.publicKeySha256 !== expected)
    return {
      ok: false,
      problem: `signed by another key (fingerprint ${parsed.publicKeySha256}), not by the key given (${expected})`,
    };
  const bytes = await readFile(path.join(dir, MANIFEST_FILE));
  if (!verify(null, bytes, publicKey, Buffer.from(parsed.signature, 'base64')))
    return {
      ok: false,
      problem: `the signature does not match ${MANIFEST_FILE}: the manifest (or its signature) was changed after signing`,
    };
  return { ok: true, fingerprint: expected };
}

/** Writes a new Ed25519 pair into `dir`: the private key readable by its owner only. Never overwrites. */
export async function generateSigningKeys(
  dir: string,
): Promise<{ privateKeyFile: string; publicKeyFile: string; fingerprint: string }> {
  const privateKeyFile = path.join(dir, PRIVATE_KEY_FILE);
  const publicKeyFile = path.join(dir, PUBLIC_KEY_FILE);
  for (const file of [privateKeyFile, publicKeyFile])
    if (existsSync(file)) throw new UsageError(`--out: ${file} already exists; keys are never overwritten`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(
      `--out: cannot create directory ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeFile(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKeyFile, publicKeyFile, fingerprint: keyFingerprint(publicKey) };
}

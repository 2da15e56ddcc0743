import { access } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { listFiles, sha256File } from './file-hash.js';
import { MANIFEST_FILE, readManifest, SIGNATURE_FILE, type Manifest } from './manifest.js';

export interface PackageProblem {
  readonly file: string;
  readonly problem: 'changed' | 'missing' | 'added';
}

export interface PackageVerification {
  readonly manifest: Manifest;
  readonly checked: number;
  /** SHA-256 of MANIFEST.json, to compare with the one the exporter handed over. */
  readonly manifestSha256: string;
  readonly problems: readonly PackageProblem[];
}

/** Recomputes the SHA-256 of every file and compares with the manifest: changed, missing and added files. */
export async function verifyPackage(dir: string): Promise<PackageVerification> {
  try {
    await access(path.join(dir, MANIFEST_FILE));
  } catch {
    throw new UsageError(`verify: ${dir} has no ${MANIFEST_FILE}; is it an auditor package?`);
  }
  const manifest: Manifest = await readManifest(dir);
  const present = new Set(
    (await listFiles(dir)).filter((file) => file !== MANIFEST_FILE && file !== SIGNATURE_FILE),
  );
  const problems: PackageProblem[] = [];
  for (const entry of manifest.files) {
    if (!present.has(entry.path)) {
      problems.push({ file: entry.path, problem: 'missing' });
      continue;
    }
    present.delete(entry.path);
    if ((await sha256File(path.join(dir, entry.path))) !== entry.sha256)
      problems.push({ file: entry.path, problem: 'changed' });
  }
  for (const file of present) problems.push({ file, problem: 'added' });
  const manifestSha256 = await sha256File(path.join(dir, MANIFEST_FILE));
  return { manifest, checked: manifest.files.length, manifestSha256, problems };
}

import { gunzipSync, gzipSync } from 'node:zlib';
import type { TrailFile } from './trail-files.js';

/**
 * Fault hooks on what the trail bucket holds, for integrity tests: someone deleted or edited a log file,
 * removed a digest, or a digest was signed with a key CloudTrail never published.
 */
export interface TrailTampering {
  deleteLogFile(key: string): void;
  editLogFile(key: string): void;
  removeDigest(key: string): void;
  signDigestWithOtherKey(key: string): void;
  reset(): void;
  readonly deletedLogFiles: ReadonlySet<string>;
  readonly editedLogFiles: ReadonlySet<string>;
  readonly removedDigests: ReadonlySet<string>;
  readonly signedWithOtherKey: ReadonlySet<string>;
  /** Raised on every change, so what the bucket serves is rebuilt. */
  readonly version: number;
}

export function createTampering(): TrailTampering {
  const deleted = new Set<string>();
  const edited = new Set<string>();
  const removed = new Set<string>();
  const otherKey = new Set<string>();
  const tampering = {
    version: 0,
    deletedLogFiles: deleted,
    editedLogFiles: edited,
    removedDigests: removed,
    signedWithOtherKey: otherKey,
    deleteLogFile: (key: string) => change(deleted, key),
    editLogFile: (key: string) => change(edited, key),
    removeDigest: (key: string) => change(removed, key),
    signDigestWithOtherKey: (key: string) => change(otherKey, key),
    reset() {
      for (const set of [deleted, edited, removed, otherKey]) set.clear();
      tampering.version += 1;
    },
  };
  function change(set: Set<string>, key: string) {
    set.add(key);
    tampering.version += 1;
  }
  return tampering;
}

/** One record's eventName changed, the file re-encoded as it was (gzip or plain). */
function edit(file: TrailFile): TrailFile {
  const gzipped = file.body[0] === 0x1f && file.body[1] === 0x8b;
  const body = JSON.parse((gzipped ? gunzipSync(file.body) : file.body).toString('utf8')) as {
    Records: { eventName?: string }[];
  };
  const first = body.Records[0];
  if (first) first.eventName = `${first.eventName ?? ''}Edited`;
  const json = Buffer.from(JSON.stringify(body));
  return { ...file, body: gzipped ? gzipSync(json, { level: 1 }) : json };
}

export function tamperedLogFiles(files: readonly TrailFile[], tampering: TrailTampering): TrailFile[] {
  return files
    .filter((file) => !tampering.deletedLogFiles.has(file.key))
    .map((file) => (tampering.editedLogFiles.has(file.key) ? edit(file) : file));
}

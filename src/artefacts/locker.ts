import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface LockedFile {
  readonly sha256: string;
  readonly bytes: number;
  readonly path: string;
}

/**
 * The evidence locker: every artefact is stored once under its own SHA-256, so a file can never be
 * replaced without its address changing, and adding the same file twice stores it once.
 */
export class EvidenceLocker {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  /** Copies a file in while hashing it, then moves it to its address (atomic on one file system). */
  async put(source: string): Promise<LockedFile> {
    const incoming = path.join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true });
    const temp = path.join(incoming, `${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(source), tap, createWriteStream(temp));
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      if (await exists(target)) await rm(temp);
      else await rename(temp, target);
      return { sha256, bytes, path: target };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

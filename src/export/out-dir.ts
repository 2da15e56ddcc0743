import { mkdir } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/** Creates an output directory; a path that is (or runs through) a file is one line, never a stack trace. */
export async function ensureOutDir(out: string, flag = '--out'): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new UsageError(`${flag}: ${out} (or a folder above it) is a file; expected a directory`);
    throw new UsageError(`${flag}: cannot create directory ${out} (${code ?? 'error'})`);
  }
}

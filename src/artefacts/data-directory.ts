import path from 'node:path';

/**
 * Where files that are not rows live (the artefact locker). Beside the SQLite file for a file store; for
 * PostgreSQL, `./data` under the config's directory. The PostgreSQL case is per machine: several workers
 * sharing one database should mount the same data directory, or artefacts added on one are not on another.
 */
export function dataDirectory(storeUrl: string, baseDir: string): string {
  if (storeUrl.startsWith('file:'))
    return path.dirname(path.resolve(baseDir, storeUrl.slice('file:'.length)));
  return path.resolve(baseDir, 'data');
}

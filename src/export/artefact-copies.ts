import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Artefact, ArtefactRegister } from '../artefacts/register.js';
import { sha256File } from './file-hash.js';

export const ARTEFACT_DIR = 'artefacts';

/** Two artefacts with the same conforming name (two access reviews of a quarter): the later gets _Part2. */
function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let part = 2; taken.has(candidate); part += 1) {
    candidate = name.replace(/_([^_]+)\.([a-z0-9]+)$/, `_Part${part}_$1.$2`);
  }
  taken.add(candidate);
  return candidate;
}

/**
 * Copies the period's artefacts out of the locker under their conventional names and checks each copy
 * against the hash the register recorded, so a tampered locker cannot slip into a package.
 * Returns artefact id → path inside the package.
 */
export async function copyArtefacts(
  register: ArtefactRegister,
  artefacts: readonly Artefact[],
  outDir: string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (artefacts.length === 0) return files;
  await mkdir(path.join(outDir, ARTEFACT_DIR), { recursive: true });
  const taken = new Set<string>();
  for (const artefact of artefacts) {
    const name = `${ARTEFACT_DIR}/${uniqueName(artefact.file_name, taken)}`;
    const target = path.join(outDir, name);
    await copyFile(register.lockedPath(artefact), target);
    if ((await sha256File(target)) !== artefact.sha256)
      throw new Error(`locker: ${artefact.original_name} (${artefact.sha256}) no longer matches its hash`);
    files.set(artefact.id, name);
  }
  return files;
}

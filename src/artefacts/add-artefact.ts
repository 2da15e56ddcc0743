import { statSync } from 'node:fs';
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import type { Window } from '../time.js';
import { readArtefactFacts } from './artefact-facts.js';
import { findArtefactType, type ArtefactType } from './artefact-types.js';
import { openArtefactRegister } from './open-register.js';
import type { AddedArtefact } from './register.js';

export interface RegisteredArtefact extends AddedArtefact {
  readonly type: ArtefactType;
  /** What the artefact's facts came to (a review's decisions), one line; undefined when it carries none. */
  readonly facts: { readonly count: number; readonly recorded: string } | undefined;
}

/** The artefact is a file that exists: checked before anything opens, so the mistake is one line. */
export function requireArtefactFile(file: string): void {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(`FILE: expected an existing file, got "${file}"`);
}

/**
 * Registers an artefact for a period (copied into the locker) and stores the facts it carries. A review's
 * decisions are validated before anything is locked: a bad row registers nothing.
 */
export async function addArtefact(
  app: App,
  input: { file: string; type: string; period: Window & { label: string }; owner?: string | undefined },
): Promise<RegisteredArtefact> {
  requireArtefactFile(input.file);
  const { register, types } = await openArtefactRegister(app);
  const type = findArtefactType(types, input.type);
  const { period } = input;
  const facts = await readArtefactFacts({ type: type.type, file: input.file, period, now: app.clock() });
  const added = await register.add({ file: input.file, type, period, owner: input.owner, now: app.clock() });
  if (!facts) return { ...added, type, facts: undefined };
  const recorded = await facts.record({ store: await app.store(), logger: app.logger, clock: app.clock });
  return { ...added, type, facts: { count: facts.count, recorded } };
}

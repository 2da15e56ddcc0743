import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Selectable } from 'kysely';
import { canonicalJson } from '../store/canonical.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { ArtefactsTable } from '../store/schema.js';
import type { Window } from '../time.js';
import type { ArtefactType } from './artefact-types.js';
import type { EvidenceLocker } from './locker.js';
import { checkArtefactName, type NamingVerdict } from './naming-check.js';

export type Artefact = Selectable<ArtefactsTable>;

export interface AddedArtefact {
  readonly artefact: Artefact;
  readonly naming: NamingVerdict;
  /** The same file was already registered for this type and period; nothing changed. */
  readonly alreadyRegistered: boolean;
}

/** The ISO artefact register: which file evidences which criteria for which period, and where it is locked. */
export class ArtefactRegister {
  constructor(
    private readonly store: EvidenceStore,
    private readonly locker: EvidenceLocker,
  ) {}

  async add(input: {
    file: string;
    type: ArtefactType;
    period: Window & { label: string };
    owner?: string | undefined;
    now: number;
  }): Promise<AddedArtefact> {
    const locked = await this.locker.put(input.file);
    const original = path.basename(input.file);
    const naming = checkArtefactName(original, input.type, input.period.label);
    const existing = await this.find(input.type.type, input.period.label, locked.sha256);
    if (existing) return { artefact: existing, naming, alreadyRegistered: true };
    await this.store.db
      .insertInto('artefacts')
      .values({
        id: randomUUID(),
        type: input.type.type,
        period_label: input.period.label,
        period_start: input.period.start,
        period_end: input.period.end,
        owner: input.owner ?? null,
        original_name: original,
        file_name: naming.proposed,
        name_conforms: naming.conforms ? 1 : 0,
        sha256: locked.sha256,
        bytes: locked.bytes,
        criteria: canonicalJson([...input.type.criteria]),
        added_at: input.now,
      })
      .onConflict((conflict) => conflict.columns(['type', 'period_label', 'sha256']).doNothing())
      .execute();
    const stored = await this.find(input.type.type, input.period.label, locked.sha256);
    if (!stored) throw new Error('artefact register: row vanished after insert');
    return { artefact: stored, naming, alreadyRegistered: false };
  }

  private find(type: string, periodLabel: string, sha256: string): Promise<Artefact | undefined> {
    return this.store.db
      .selectFrom('artefacts')
      .selectAll()
      .where('type', '=', type)
      .where('period_label', '=', periodLabel)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }

  list(): Promise<Artefact[]> {
    return this.store.db
      .selectFrom('artefacts')
      .selectAll()
      .orderBy('period_start')
      .orderBy('type')
      .orderBy('added_at')
      .execute();
  }

  /** Artefacts whose own period overlaps [from, to). */
  overlapping(window: Window): Promise<Artefact[]> {
    return this.store.db
      .selectFrom('artefacts')
      .selectAll()
      .where('period_start', '<', window.end)
      .where('period_end', '>', window.start)
      .orderBy('type')
      .orderBy('period_start')
      .orderBy('added_at')
      .execute();
  }

  lockedPath(artefact: Artefact): string {
    return this.locker.pathOf(artefact.sha256);
  }
}

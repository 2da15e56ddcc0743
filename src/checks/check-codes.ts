import { z } from 'zod';
import type { StreamKind } from '../stream.js';

/**
 * What a finding code stands for, declared by the check that gives it. A deviation is a control failure
 * the check found; `pending` and `unreadable` say the check could not judge the item from the evidence,
 * which an auditor must not count as a deviation: the evidence lies in a collection gap (it resolves once
 * collection covers it), or what was collected could not be read.
 */
export const codeStatuses = ['deviation', 'pending', 'unreadable'] as const;
export type CodeStatus = (typeof codeStatuses)[number];

/**
 * A state finding is about how something stood when observed (an account without MFA on a day's
 * snapshot): it is open at period end while the last observation still shows it. An event finding is
 * about something that happened once (a change merged without review, a late removal): it cannot be open.
 */
export const findingKinds = ['state', 'event'] as const;
export type FindingKind = (typeof findingKinds)[number];

/** One code as a check declares it: what it means to an auditor, and what it counts as. */
export interface CodeDeclaration {
  readonly means: string;
  /** Defaults to `deviation`. */
  readonly status?: CodeStatus;
  /** Defaults to the kind of the finding's stream: `event` on an events stream, else `state`. */
  readonly kind?: FindingKind;
}

/** A plain sentence is a deviation whose kind is its stream's (the form every check had first). */
export type CodeEntry = string | CodeDeclaration;

const meaning = z.string('expected the sentence the code means to an auditor').min(1, 'expected a sentence');

export const codeDeclarationSchema = z
  .object({
    means: meaning,
    status: z.enum(codeStatuses).optional(),
    kind: z.enum(findingKinds).optional(),
  })
  .strict();

export const codeEntrySchema = z.union([meaning, codeDeclarationSchema]);

/** Parses one entry by its form, so a mistake is named by its field (`status`), not "invalid input". */
export function parseCodeEntry(entry: unknown) {
  return typeof entry === 'string' ? meaning.safeParse(entry) : codeDeclarationSchema.safeParse(entry);
}

/** Snake case, one case throughout, for shipped checks (`removed_late`, `ROOT_WITHOUT_MFA`). */
export const SHIPPED_CODE = /^(?:[a-z0-9]+(?:_[a-z0-9]+)*|[A-Z0-9]+(?:_[A-Z0-9]+)*)$/;

/** The code as a whole declaration, its defaults filled in but the kind (which needs the stream). */
export function declaredCode(entry: CodeEntry): {
  means: string;
  status: CodeStatus;
  kind: FindingKind | undefined;
} {
  if (typeof entry === 'string') return { means: entry, status: 'deviation', kind: undefined };
  return { means: entry.means, status: entry.status ?? 'deviation', kind: entry.kind };
}

export function codeMeaning(entry: CodeEntry | undefined): string {
  return entry === undefined ? '' : declaredCode(entry).means;
}

/** A declared kind, else the stream's: an events stream gives event findings, a snapshot state findings. */
export function kindOf(entry: CodeEntry | undefined, streamKind: StreamKind | undefined): FindingKind {
  const declared = entry === undefined ? undefined : declaredCode(entry).kind;
  return declared ?? (streamKind === 'events' ? 'event' : 'state');
}

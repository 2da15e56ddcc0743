import type { z } from 'zod';
import type { Window } from '../time.js';
import type { CodeEntry } from './check-codes.js';

/**
 * The contract every check in `checks/` implements (Auditree's split: streams collect facts, checks judge
 * them). A check reads stored facts through a read-only `FactsReader`, never a source, the queue or the
 * clock: the period comes in, findings go out. Changing a check's rule or policy changes findings, never
 * evidence. Every finding cites `id@version`.
 */

/** One stored item as a check sees it: the latest version of a key, its payload parsed by the check. */
export interface Fact<TPayload = unknown> {
  readonly stream: string;
  readonly key: string;
  readonly version: number;
  readonly occurredAt: number;
  readonly collectedAt: number;
  readonly payload: TPayload;
  /** SHA-256 of the canonical payload: ties a finding to the exact evidence it judged. */
  readonly payloadSha256: string;
  /** The item records that nothing happened at the source (an hour with zero log events). */
  readonly quiet: boolean;
}

/** Read-only view of the evidence store, limited to the streams a check declares. */
export interface FactsReader {
  /**
   * Every item of `stream` as last observed by `range.end` (its latest version that occurred before then),
   * when that version's occurredAt lies in `[range.start, range.end)`, in occurredAt order, with its payload parsed by `schema`. A stored payload the schema rejects is not
   * dropped: the engine reports it as a `fact_unreadable` finding of this check. Reading a stream the check
   * does not declare throws.
   */
  items<T>(stream: string, range: Window, schema: z.ZodType<T>): AsyncIterable<Fact<T>>;
  /** Whether the stream is collected in this deployment (its connector configured, the stream enabled). */
  collected(stream: string): boolean;
  /**
   * The parts of `range` that succeeded collection runs of `stream` cover, merged, in order: lets a
   * check say "the system was not collected then" instead of guessing.
   */
  covered(stream: string, range: Window): Promise<readonly Window[]>;
}

/** What a check's judge yields; the engine adds the check's id, version and criteria. */
export interface Finding {
  /** Stable code, lower snake case: `direct_push`, `removed_late`. Declared in the check's `codes`. */
  readonly code: string;
  /** Stream of the primary item the finding is about. */
  readonly stream: string;
  /** Natural key(s) of the item(s) judged; the first is the primary one (the population row it marks). */
  readonly keys: readonly string[];
  /** When the judged thing happened (the primary item's occurredAt, or the event the finding is about). */
  readonly occurredAt: number;
  /** One sentence for the auditor: what is wrong with this item, with names and times. */
  readonly description: string;
  /** Who or what the finding is about where that is not the item itself (a person's email, a repository). */
  readonly subject?: string;
}

export interface JudgeInput<TPolicy> {
  readonly facts: FactsReader;
  /** The period judged, half-open, UTC epoch ms. Checks never read the clock. */
  readonly period: Window;
  /** The policy in force: the check's defaults with the company's `checks.<id>` config applied. */
  readonly policy: TPolicy;
}

export interface CheckDefinition<TPolicy = unknown> {
  /** Lower-case, dash separated: `change-review`. Config section `checks.<id>`. */
  readonly id: string;
  /** Whole number, raised whenever the rule changes (not the policy): findings cite `id@version`. */
  readonly version: number;
  /** Short title: "Production change review". */
  readonly title: string;
  /** The sentence an auditor reads: what the check tests, in the auditor's words. */
  readonly description: string;
  readonly criteria: readonly string[];
  readonly isoControls: readonly string[];
  /** Every stream the check reads; reading any other throws. */
  readonly streams: readonly string[];
  /**
   * Every code the check can give, with what it means to an auditor: a sentence (a deviation, a state or
   * an event finding by its stream's kind), or `{ means, status, kind }` for a code that is no deviation
   * (`status: 'pending'` evidence pending collection, `'unreadable'` evidence unreadable) or an event
   * finding on a snapshot stream (`kind: 'event'`: a late removal). See `check-codes.ts`.
   */
  readonly codes: Readonly<Record<string, CodeEntry>>;
  /** zod object: parses `{}` to the defaults; `.strict()` so an unknown policy field stops start-up. */
  readonly policy: z.ZodType<TPolicy>;
  /** Pure: the same facts, period and policy give the same findings in the same order. */
  judge(input: JudgeInput<TPolicy>): AsyncIterable<Finding>;
}

/** A check of any policy type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own policy type
export type AnyCheck = CheckDefinition<any>;

/** Keeps the policy type of a check checked at its declaration. */
export function defineCheck<TPolicy>(check: CheckDefinition<TPolicy>): CheckDefinition<TPolicy> {
  return check;
}

/** A finding without the stream, for per-item judges: the engine fills in the item's stream and key. */
export interface ItemFinding {
  readonly code: string;
  readonly description: string;
  /** Further keys beside the item's own (another item the finding relates to). */
  readonly relatedKeys?: readonly string[];
  readonly subject?: string;
}

/**
 * The common shape of a per-item check: read one stream over the period and judge each fact alone.
 * `judgeItem` is pure and synchronous.
 */
export function judgeEachItem<TPayload, TPolicy>(
  stream: string,
  schema: z.ZodType<TPayload>,
  judgeItem: (fact: Fact<TPayload>, policy: TPolicy) => readonly ItemFinding[],
): CheckDefinition<TPolicy>['judge'] {
  return async function* judge({ facts, period, policy }) {
    for await (const fact of facts.items(stream, period, schema)) {
      for (const finding of judgeItem(fact, policy)) {
        yield {
          code: finding.code,
          stream: fact.stream,
          keys: [fact.key, ...(finding.relatedKeys ?? [])],
          occurredAt: fact.occurredAt,
          description: finding.description,
          ...(finding.subject === undefined ? {} : { subject: finding.subject }),
        };
      }
    }
  };
}

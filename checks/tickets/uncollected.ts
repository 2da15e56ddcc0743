import type { FactsReader } from '../../src/checks/check.js';
import { uncovered } from '../../src/continuity/intervals.js';
import type { Window } from '../../src/time.js';
import type { ChangeView } from './change-facts.js';
import { projectOf } from './keys.js';
import {
  LINKING_STREAMS,
  PRODUCTION_CHANGES,
  TICKET_STREAMS,
  type Linkage,
  type TicketIndex,
} from './linkage.js';
import type { LinkagePolicy } from './policy.js';
import type { TicketView } from './ticket-facts.js';

/**
 * How far the configured ticket streams are collected over the span the ticket lookup needs. Tickets are
 * read by update time over the ticket window around the period, so a ticket updated after the last
 * collection run is not there yet: a key missing then is not yet collected, not "not found". The span is
 * the ticket range within the span the production changes themselves were collected over, since a check
 * cannot read the clock: ticket collection has "got there" when it reaches as far as the changes judged.
 */
export interface TicketCollection {
  /** The configured (collected) ticket streams. */
  readonly streams: readonly string[];
  /** Per configured ticket stream, the parts of the span no succeeded run covers (streams without gaps absent). */
  readonly gaps: ReadonlyMap<string, readonly Window[]>;
}

export async function ticketCollection(facts: FactsReader, range: Window): Promise<TicketCollection> {
  // Only configured ticket streams count: a company that keeps its changes in Jira alone waits for no Linear.
  const streams = TICKET_STREAMS.filter((id) => facts.collected(id));
  const gaps = new Map<string, readonly Window[]>();
  if (streams.length === 0) return { streams, gaps };
  const changes = await facts.covered(PRODUCTION_CHANGES, range);
  const first = changes[0];
  const last = changes.at(-1);
  if (!first || !last) return { streams, gaps };
  // The span every configured ticket stream must be collected over: as far as the changes are.
  const span = { start: first.start, end: last.end };
  for (const stream of streams) {
    const holes = uncovered(span, await facts.covered(stream, span));
    if (holes.length > 0) gaps.set(stream, holes);
  }
  return { streams, gaps };
}

/** The configured ticket streams a ticket of this key could still turn up in: its project's, else any. */
function streamsForKey(key: string, index: TicketIndex, configured: readonly string[]): readonly string[] {
  const known = configured.filter((stream) => index.projectsByStream.get(stream)?.has(projectOf(key)));
  return known.length > 0 ? known : configured;
}

/**
 * The ticket streams whose gaps leave open which tickets this change links: a named key not found may be
 * a ticket not yet collected, a project seen nowhere yet may be one of the change process (when the
 * policy does not list the projects), and a Linear ticket not yet collected may link the pull request.
 */
export function linkageOpenIn(
  linkage: Linkage,
  index: TicketIndex,
  collection: TicketCollection,
  policy: LinkagePolicy,
): string[] {
  if (linkage.kind === 'exempt' || collection.gaps.size === 0) return [];
  const open = new Set<string>();
  if (linkage.kind !== 'no_ticket')
    for (const key of linkage.missing)
      for (const stream of streamsForKey(key, index, collection.streams)) open.add(stream);
  if (linkage.kind === 'not_found' && linkage.outOfScope.length > 0 && policy.projects === undefined)
    for (const stream of collection.streams) open.add(stream);
  if (linkage.change.pullRequests.some((pr) => pr.url))
    for (const stream of LINKING_STREAMS) open.add(stream);
  return [...open].filter((stream) => collection.gaps.has(stream)).sort();
}

/**
 * The ticket streams whose gaps leave open whether a linked ticket was approved before the merge: those
 * that could add a linked ticket, and those of linked tickets last collected before the merge (an
 * approval between that update and the merge would be a later update, not yet collected).
 */
export function approvalOpenIn(
  change: ChangeView,
  unapproved: readonly TicketView[],
  linkage: Linkage,
  index: TicketIndex,
  collection: TicketCollection,
  policy: LinkagePolicy,
): string[] {
  const open = new Set(linkageOpenIn(linkage, index, collection, policy));
  for (const ticket of unapproved)
    if (ticket.updatedAt <= change.mergedAt && collection.gaps.has(ticket.stream)) open.add(ticket.stream);
  return [...open].sort();
}

const iso = (at: number) => new Date(at).toISOString();
// A stream collected in many short runs with holes between them: the auditor needs the first few.
const SHOWN = 3;

/** "jira-change-tickets is not yet collected from … to …", for each open stream. */
export function describeGaps(streams: readonly string[], collection: TicketCollection): string {
  return streams
    .map((stream) => {
      const holes = collection.gaps.get(stream) ?? [];
      const shown = holes.slice(0, SHOWN).map((hole) => `from ${iso(hole.start)} to ${iso(hole.end)}`);
      const more = holes.length > SHOWN ? ` and ${holes.length - SHOWN} more spans` : '';
      return `${stream} is not yet collected ${shown.join(', ')}${more}`;
    })
    .join('; ');
}

/** The closing words of every `ticket_evidence_not_collected` finding. */
export const RESOLVES =
  'the finding resolves by itself once collection covers it (to no finding, or to the finding the complete tickets give)';

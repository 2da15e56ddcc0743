import { z } from 'zod';

/**
 * The cursor of a snapshot stream that diffs day against day: the latest observation and the one before
 * it, so re-running a day already observed diffs against the same baseline as its first run did.
 */
export interface SnapshotCursor<TState> {
  readonly latest: { readonly day: string; readonly state: TState };
  readonly previous?: { readonly day: string; readonly state: TState };
}

/** Reads a cursor written by `nextSnapshotCursor`; anything else (none, an older shape) means no baseline. */
export function readSnapshotCursor<TState>(
  cursor: unknown,
  stateSchema: z.ZodType<TState>,
): SnapshotCursor<TState> | undefined {
  const observation = z.object({ day: z.string(), state: stateSchema });
  const parsed = z.object({ latest: observation, previous: observation.optional() }).safeParse(cursor);
  return parsed.success ? (parsed.data as SnapshotCursor<TState>) : undefined;
}

/** The observation to diff `day` against, if any. */
export function snapshotBaseline<TState>(
  cursor: SnapshotCursor<TState> | undefined,
  day: string,
): { day: string; state: TState } | undefined {
  if (!cursor) return undefined;
  if (cursor.latest.day < day) return cursor.latest;
  return cursor.previous && cursor.previous.day < day ? cursor.previous : undefined;
}

/** The cursor after observing `state` on `day` (a re-run of an older day leaves the cursor as it was). */
export function nextSnapshotCursor<TState>(
  cursor: SnapshotCursor<TState> | undefined,
  day: string,
  state: TState,
): SnapshotCursor<TState> {
  if (!cursor || cursor.latest.day < day)
    return { latest: { day, state }, ...(cursor ? { previous: cursor.latest } : {}) };
  if (cursor.latest.day === day)
    return { latest: { day, state }, ...(cursor.previous ? { previous: cursor.previous } : {}) };
  return cursor;
}

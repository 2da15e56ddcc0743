import type { CollectedItem } from './stream.js';

/**
 * The item a snapshot stream yields for a scope (an account, an org, a directory) it read and found empty.
 * Without it an empty read leaves no item, and the auditor cannot tell "read, and empty" from "not read":
 * the item is the evidence of the read. It is quiet (nothing at the source), so silence stays visible.
 * Its key is the scope's prefix and `#empty`, which no real name of a principal takes.
 */
export function emptySnapshotItem<T>(scopeKey: string, occurredAt: number, payload: T): CollectedItem<T> {
  return { key: `${scopeKey}/#empty`, occurredAt, payload, quiet: true };
}

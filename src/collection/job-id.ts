import type { Window } from '../time.js';

/**
 * Deterministic BullMQ job id for one stream and window: no ':' (BullMQ reserves it) and never all digits.
 * Two planners enqueueing the same window produce the same id, so the second add is a no-op.
 */
export function collectJobId(stream: string, window: Window, suffix?: string): string {
  const id = `${collectJobIdPrefix(stream)}${window.start}.${window.end}${suffix ? `.${suffix}` : ''}`;
  if (id.includes(':')) throw new Error(`job id must not contain ":": ${id}`);
  return id;
}

/** What every collect job id of the stream starts with, whatever its window and suffix. */
export function collectJobIdPrefix(stream: string): string {
  return `collect.${stream}.`;
}

export function collectQueueName(connectorId: string): string {
  return `collect-${connectorId}`;
}

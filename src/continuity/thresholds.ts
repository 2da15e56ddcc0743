import type { StreamInstance } from '../registry.js';
import type { EvidenceStore } from '../store/open-store.js';
import { DAY } from '../time.js';
import { activityChunks } from './activity.js';

export type ThresholdSource = 'config' | 'learned' | 'default';

export interface LearningOptions {
  /** How much history before the judged period to learn from. */
  readonly windowMs: number;
  /** Threshold = factor x the longest quiet stretch seen in that history. */
  readonly factor: number;
  /** Learn only from history whose active buckets span at least this long; else keep the default. */
  readonly minSpanMs: number;
}

export const defaultLearning: LearningOptions = { windowMs: 30 * DAY, factor: 3, minSpanMs: 7 * DAY };

/**
 * The silence threshold a stream is judged by: its configured one; else one learned from the quiet
 * stretches of the history *before* the judged period (learning from the period itself would let a long
 * silence raise its own threshold and hide itself); else the stream's declared default. Never below the cadence.
 */
export async function silenceThreshold(
  store: EvidenceStore,
  stream: StreamInstance,
  before: number,
  learning: LearningOptions = defaultLearning,
): Promise<{ ms: number; source: ThresholdSource }> {
  if (stream.silenceThresholdConfigured) return { ms: stream.silenceThresholdMs, source: 'config' };
  let first: number | undefined;
  let lastEnd: number | undefined;
  let longest = 0;
  const history = { start: before - learning.windowMs, end: before };
  for await (const chunk of activityChunks(store, stream.id, history, stream.cadenceMs)) {
    for (const start of chunk.active) {
      first ??= start;
      if (lastEnd !== undefined) longest = Math.max(longest, start - lastEnd);
      lastEnd = start + stream.cadenceMs;
    }
  }
  if (first === undefined || lastEnd === undefined || lastEnd - first < learning.minSpanMs)
    return { ms: stream.silenceThresholdMs, source: 'default' };
  return { ms: Math.max(stream.cadenceMs, Math.round(learning.factor * longest)), source: 'learned' };
}

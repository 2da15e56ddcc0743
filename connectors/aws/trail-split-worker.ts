import { parentPort } from 'node:worker_threads';
import {
  NAMED_FILTERS,
  splitTrailFile,
  type FilterName,
  type KeptBatch,
  type SplitEnd,
} from './trail-split.js';

/** What the collecting thread sends: a file to split (its bytes transferred, not copied), or "the next batch". */
export type SplitRequest =
  | {
      readonly type: 'split';
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly filter: FilterName | undefined;
      readonly skipBelow: number;
    }
  | { readonly type: 'more'; readonly id: number };

/** What a worker answers: batches of kept records, then how the read ended (with the bytes where they are needed). */
export type SplitReply =
  | { readonly id: number; readonly type: 'batch'; readonly batch: KeptBatch }
  | { readonly id: number; readonly type: 'end'; readonly end: SplitEnd; readonly bytes?: Uint8Array };

const waiting = new Map<number, () => void>();

parentPort?.on('message', (request: SplitRequest) => {
  if (request.type === 'more') {
    const resume = waiting.get(request.id);
    waiting.delete(request.id);
    resume?.();
    return;
  }
  const { id, bytes } = request;
  // One batch at a time per file: the next is cut only once the collecting thread asks for it.
  const emit = (batch: KeptBatch) =>
    new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      parentPort?.postMessage({ id, type: 'batch', batch } satisfies SplitReply);
    });
  const keep = request.filter ? NAMED_FILTERS[request.filter] : undefined;
  splitTrailFile(bytes, { keep, filter: request.filter, skipBelow: request.skipBelow, emit }).then(
    (end) => answer(id, end, bytes),
    (error: unknown) => answer(id, { kind: 'failed', problem: (error as Error).message, scanned: 0 }, bytes),
  );
});

/** A file that is rejected or read whole needs its bytes back: a fresh copy (zlib may still hold the original). */
function answer(id: number, end: SplitEnd, bytes: Uint8Array): void {
  if (end.kind === 'end') {
    parentPort?.postMessage({ id, type: 'end', end } satisfies SplitReply);
    return;
  }
  const copy = new Uint8Array(bytes);
  parentPort?.postMessage({ id, type: 'end', end, bytes: copy } satisfies SplitReply, [copy.buffer]);
}

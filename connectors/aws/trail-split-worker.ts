import { parentPort } from 'node:worker_threads';
import { NAMED_FILTERS, splitTrailFile, type FilterName } from './trail-split.js';

/** A worker of the trail pool: inflates and splits one file a message, answering only the records kept. */
export interface SplitRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly filter: FilterName | undefined;
}

parentPort?.on('message', (request: SplitRequest) => {
  const keep = request.filter ? NAMED_FILTERS[request.filter] : undefined;
  splitTrailFile(request.bytes, keep).then(
    (result) => parentPort?.postMessage({ id: request.id, result }),
    (error: unknown) =>
      parentPort?.postMessage({ id: request.id, result: { ok: false, problem: (error as Error).message } }),
  );
});

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SplitResult, FilterName } from './trail-split.js';
import type { SplitRequest } from './trail-split-worker.js';

interface Pending {
  readonly worker: Worker;
  readonly settle: (result: SplitResult | undefined) => void;
}

/**
 * Worker threads, one per core, that inflate and parse trail files so the collecting thread only sees
 * the records its stream keeps. Idle workers do not hold the process open. Made on first use.
 */
class TrailSplitPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly size: number) {}

  /** Splits one file on the least busy worker; undefined means "read it whole" (see splitTrailFile). */
  split(bytes: Uint8Array, filter: FilterName | undefined): Promise<SplitResult | undefined> {
    const slot = this.slot();
    const id = (this.nextId += 1);
    slot.busy += 1;
    if (slot.busy === 1) slot.worker.ref();
    return new Promise<SplitResult | undefined>((resolve) => {
      this.pending.set(id, {
        worker: slot.worker,
        settle: (result) => {
          slot.busy -= 1;
          if (slot.busy === 0) slot.worker.unref();
          resolve(result);
        },
      });
      // A copy: the caller may still reject the file with its bytes.
      slot.worker.postMessage({ id, bytes, filter } satisfies SplitRequest);
    });
  }

  private slot(): { worker: Worker; busy: number } {
    if (this.workers.length < this.size) {
      const worker = spawnWorker();
      worker.on('message', (message: { id: number; result: SplitResult | undefined }) => {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        pending?.settle(message.result);
      });
      worker.on('error', () => this.retire(worker));
      worker.unref();
      const slot = { worker, busy: 0 };
      this.workers.push(slot);
      return slot;
    }
    return this.workers.reduce((best, slot) => (slot.busy < best.busy ? slot : best));
  }

  /** A worker that died answers "read it whole" for what it held, so no file is lost with it. */
  private retire(worker: Worker): void {
    const at = this.workers.findIndex((slot) => slot.worker === worker);
    if (at >= 0) this.workers.splice(at, 1);
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      this.pending.delete(id);
      pending.settle(undefined);
    }
  }
}

// A worker holds one file's chunk and kept records at a time: a small heap makes V8 collect early instead
// of growing towards the machine's memory (peak RSS is the sum of every thread's heap).
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

/** The compiled worker beside this file, or under tsx (tests, `npm run cli`) the TypeScript one. */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const execArgv = process.execArgv.includes('tsx')
      ? process.execArgv
      : [...process.execArgv, '--import', 'tsx'];
    return new Worker(new URL('./trail-split-worker.ts', here), { execArgv, resourceLimits: WORKER_LIMITS });
  }
  return new Worker(new URL('./trail-split-worker.js', here), { resourceLimits: WORKER_LIMITS });
}

let shared: TrailSplitPool | undefined;

/** The process's pool, sized to its cores (at most 8: the collecting thread cannot use more). */
export function trailSplitPool(): TrailSplitPool {
  shared ??= new TrailSplitPool(Math.min(8, Math.max(1, availableParallelism())));
  return shared;
}

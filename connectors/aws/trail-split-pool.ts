import { availableParallelism } from 'node:os';
import { isMarkedAsUntransferable, Worker } from 'node:worker_threads';
import type { FilterName, KeptBatch, SplitEnd } from './trail-split.js';
import type { SplitReply, SplitRequest } from './trail-split-worker.js';

/** What a file's split gives, in order: batches, then its end; `lost` when its worker died with it. */
export type SplitEvent =
  | { readonly type: 'batch'; readonly batch: KeptBatch }
  | { readonly type: 'end'; readonly end: SplitEnd; readonly bytes?: Uint8Array }
  | { readonly type: 'lost' };

/** One file being split: its events, one at a time. */
export interface SplitJob {
  next(): Promise<SplitEvent>;
}

interface Slot {
  readonly worker: Worker;
  busy: number;
}

class Job implements SplitJob {
  private readonly queue: SplitEvent[] = [];
  private waiter: ((event: SplitEvent) => void) | undefined;

  constructor(
    readonly id: number,
    readonly slot: Slot,
  ) {}

  deliver(event: SplitEvent): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) this.hand(event, waiter);
    else this.queue.push(event);
  }

  next(): Promise<SplitEvent> {
    const event = this.queue.shift();
    if (event) return new Promise((resolve) => this.hand(event, resolve));
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** A batch handed on lets the worker cut the next while this one is stored: one batch ahead, no more. */
  private hand(event: SplitEvent, to: (event: SplitEvent) => void): void {
    if (event.type === 'batch')
      this.slot.worker.postMessage({ type: 'more', id: this.id } satisfies SplitRequest);
    to(event);
  }
}

/**
 * Worker threads, one per core, that inflate and parse trail files so the collecting thread only sees
 * the records its stream keeps. Idle workers do not hold the process open. Made on first use.
 */
class TrailSplitPool {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;

  constructor(readonly size: number) {}

  /**
   * Splits one file on the least busy worker. Its bytes move to the worker (transferred, not copied: the
   * caller must not use them again); they come back with a file that is rejected or must be read whole.
   */
  split(bytes: Uint8Array, filter: FilterName | undefined, skipBelow: number): SplitJob {
    const slot = this.slot();
    const job = new Job((this.nextId += 1), slot);
    this.jobs.set(job.id, job);
    slot.busy += 1;
    if (slot.busy === 1) slot.worker.ref();
    const own = ownsItsBuffer(bytes) ? bytes : new Uint8Array(bytes); // a copy; Buffer#slice would share
    slot.worker.postMessage(
      { type: 'split', id: job.id, bytes: own, filter, skipBelow } satisfies SplitRequest,
      [own.buffer as ArrayBuffer],
    );
    return job;
  }

  private settled(job: Job): void {
    this.jobs.delete(job.id);
    job.slot.busy -= 1;
    if (job.slot.busy === 0) job.slot.worker.unref();
  }

  private slot(): Slot {
    if (this.slots.length < this.size) {
      const worker = spawnWorker();
      worker.on('message', (reply: SplitReply) => {
        const job = this.jobs.get(reply.id);
        if (!job) return;
        if (reply.type === 'end') this.settled(job);
        job.deliver(reply);
      });
      worker.on('error', () => this.retire(worker));
      worker.unref();
      const slot = { worker, busy: 0 };
      this.slots.push(slot);
      return slot;
    }
    return this.slots.reduce((best, slot) => (slot.busy < best.busy ? slot : best));
  }

  /** A worker that died answers `lost` for what it held, so the caller reads those files again. */
  private retire(worker: Worker): void {
    const at = this.slots.findIndex((slot) => slot.worker === worker);
    if (at >= 0) this.slots.splice(at, 1);
    for (const job of [...this.jobs.values()]) {
      if (job.slot.worker !== worker) continue;
      this.settled(job);
      job.deliver({ type: 'lost' });
    }
  }
}

/** Whether a view spans its whole, unshared buffer, so moving the buffer moves only these bytes. */
function ownsItsBuffer(bytes: Uint8Array): boolean {
  return (
    bytes.buffer instanceof ArrayBuffer &&
    !isMarkedAsUntransferable(bytes.buffer) &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  );
}

// A worker holds a few files' bytes and one batch each: a small heap makes V8 collect early instead of
// growing towards the machine's memory (peak RSS is the sum of every thread's heap).
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

/**
 * The process's pool: a worker per core but the one the collecting thread needs (it validates, hashes and
 * stores what the workers keep), at least one, at most 8. On two cores one worker: a second bought
 * little time for some 95 MB of resident memory (its heap and malloc arena), measured with bench/trail-real.ts.
 */
export function trailSplitPool(): TrailSplitPool {
  shared ??= new TrailSplitPool(Math.min(8, Math.max(1, availableParallelism() - 1)));
  return shared;
}

import { z } from 'zod';
import type { Cursor } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { TrailFileStore } from './trail-files.js';

const memorySchema = z.object({
  unreadableLoose: z.record(z.string(), z.object({ fingerprint: z.string(), window: z.number() })),
});

type Remembered = z.infer<typeof memorySchema>['unreadableLoose'];

/**
 * Loose files (a flat export outside the standard layout) belong to no window, so every window reads them.
 * One that was rejected as unreadable is not read again by later windows until it changes (size or mtime):
 * its rejection is on record once, with the window that read it. That window itself (a repair of it)
 * always reads it again, so fixing the file settles it. Kept in the stream's cursor.
 */
export class LooseFileMemory {
  private readonly remembered: Remembered;
  private readonly seen = new Map<string, string>();
  private readonly hadMemory: boolean;

  constructor(cursor: Cursor | undefined) {
    const parsed = memorySchema.safeParse(cursor);
    this.remembered = parsed.success ? { ...parsed.data.unreadableLoose } : {};
    this.hadMemory = Object.keys(this.remembered).length > 0;
  }

  /** The loose files this window must read. */
  async select(store: TrailFileStore, keys: readonly string[], window: Window): Promise<string[]> {
    if (!store.fingerprint) return [...keys];
    const selected: string[] = [];
    for (const key of keys) {
      const fingerprint = await store.fingerprint(key);
      if (fingerprint === undefined) {
        selected.push(key);
        continue;
      }
      this.seen.set(key, fingerprint);
      const known = this.remembered[key];
      if (known && known.fingerprint === fingerprint && known.window !== window.start) continue;
      selected.push(key);
    }
    return selected;
  }

  /** A file was read: rejected as unreadable (remembered) or read well (forgotten). */
  settled(key: string, window: Window, unreadable: boolean): void {
    const fingerprint = this.seen.get(key);
    if (fingerprint === undefined) return;
    if (unreadable) this.remembered[key] = { fingerprint, window: window.start };
    else if (
      this.remembered[key]?.window === window.start ||
      this.remembered[key]?.fingerprint !== fingerprint
    )
      delete this.remembered[key];
  }

  /** The cursor to store: nothing while no loose file was ever unreadable, so the ledger stays as it was. */
  cursor(): Cursor | undefined {
    if (!this.hadMemory && Object.keys(this.remembered).length === 0) return undefined;
    return { unreadableLoose: this.remembered };
  }
}

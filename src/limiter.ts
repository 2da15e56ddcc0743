import type { Redis } from 'ioredis';

/** Spaces calls named by `key` at `perSecond`; `acquire` resolves when the caller may go. */
export interface Limiter {
  acquire(key: string, perSecond: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** In-process spacing, for inline runs without Redis. */
export class LocalLimiter implements Limiter {
  private readonly next = new Map<string, number>();

  async acquire(key: string, perSecond: number): Promise<void> {
    const interval = 1_000 / perSecond;
    const now = performance.now();
    const slot = Math.max(this.next.get(key) ?? now, now);
    this.next.set(key, slot + interval);
    if (slot > now) await sleep(slot - now);
  }
}

// Reserves the next free slot atomically; every worker on this Redis shares the same schedule.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(nextSlot, now)
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[1])), 'PX', math.ceil(tonumber(ARGV[1]) * 2 + (slot - now)))
return slot - now
`;

/** Cross-worker spacing on Redis: LookupEvents' 2 requests per second per account and region, say. */
export class RedisLimiter implements Limiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async acquire(key: string, perSecond: number): Promise<void> {
    const interval = Math.ceil(1_000 / perSecond);
    const wait = Number(await this.redis.eval(RESERVE, 1, `${this.prefix}:limiter:${key}`, interval));
    if (wait > 0) await sleep(wait);
  }
}

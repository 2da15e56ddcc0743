import type { ZodType } from 'zod';
import { buildCheckSet } from '../../src/checks/check-set.js';
import type { AnyCheck, Fact, FactsReader, Finding } from '../../src/checks/check.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import type { Window } from '../../src/time.js';

/** Items as a stream yielded them (before the store), for judging collected items in source-level tests. */
export interface MemoryItem {
  readonly key: string;
  readonly occurredAt: number;
  readonly payload: unknown;
  readonly quiet?: boolean;
}

/**
 * A FactsReader over items held in memory, with the store's semantics: the last item per key wins (the
 * latest version), items come in occurredAt order, and only declared streams may be read.
 */
export class MemoryFacts implements FactsReader {
  readonly reads: string[] = [];

  constructor(
    private readonly streams: Record<string, readonly MemoryItem[]>,
    private readonly declared?: ReadonlySet<string>,
  ) {}

  private allow(stream: string) {
    if (this.declared && !this.declared.has(stream))
      throw new Error(`read stream ${stream}, which is not declared`);
    this.reads.push(stream);
  }

  collected(stream: string): boolean {
    this.allow(stream);
    return stream in this.streams;
  }

  async *items<T>(stream: string, range: Window, schema: ZodType<T>): AsyncIterable<Fact<T>> {
    this.allow(stream);
    const latest = new Map<string, MemoryItem>();
    for (const item of this.streams[stream] ?? []) latest.set(item.key, item);
    const ordered = [...latest.values()]
      .filter((item) => item.occurredAt >= range.start && item.occurredAt < range.end)
      .sort((a, b) => a.occurredAt - b.occurredAt);
    for (const item of ordered) {
      yield {
        stream,
        key: item.key,
        version: 1,
        occurredAt: item.occurredAt,
        collectedAt: item.occurredAt,
        payload: schema.parse(item.payload),
        payloadSha256: '',
        quiet: item.quiet ?? false,
      };
    }
  }

  async covered(stream: string, range: Window): Promise<readonly Window[]> {
    this.allow(stream);
    return stream in this.streams ? [range] : [];
  }
}

const EVER: Window = { start: 0, end: 8.64e15 };

/** Runs one check over in-memory items with its default policy (or `settings`), as the engine would. */
export async function judgeItems(
  check: AnyCheck,
  streams: Record<string, readonly MemoryItem[]>,
  settings: Record<string, unknown> = {},
  period: Window = EVER,
): Promise<Finding[]> {
  const instance = buildCheckSet([check], { [check.id]: settings }, Catalogue.load()).check(check.id);
  const findings: Finding[] = [];
  for await (const finding of check.judge({
    facts: new MemoryFacts(streams, new Set(check.streams)),
    period,
    policy: instance.policy,
  }))
    findings.push(finding);
  return findings;
}

/** The codes a check gives each item key, for comparing with what a test planted. */
export async function codesByKey(
  check: AnyCheck,
  stream: string,
  items: readonly MemoryItem[],
  settings: Record<string, unknown> = {},
): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  for (const finding of await judgeItems(check, { [stream]: items }, settings)) {
    const key = finding.keys[0] ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), finding.code]);
  }
  return byKey;
}

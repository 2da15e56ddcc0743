import type { SourceRetention, StreamContext } from '../../src/stream.js';
import type { Window } from '../../src/time.js';
import type { AwsClient } from './client.js';
import { GLOBAL_REGION, type AwsAccount, type AwsConfig } from './config.js';
import { windowEvents } from './event-source.js';
import type { LooseFileMemory } from './loose-files.js';
import type { TrailEvent } from './trail-event.js';

export const LOOKUP_RETENTION_DAYS = 90;

/** How far back CloudTrail events can still be read: the shortest of all accounts' sources. */
export function eventRetention(config: AwsConfig): SourceRetention {
  if (config.accounts.some((account) => account.cloudtrail.source === 'lookup')) {
    return {
      kind: 'days',
      days: LOOKUP_RETENTION_DAYS,
      reason: 'CloudTrail LookupEvents keeps 90 days of management events',
    };
  }
  const days = config.accounts
    .map((account) => ('retentionDays' in account.cloudtrail ? account.cloudtrail.retentionDays : undefined))
    .filter((value): value is number => value !== undefined);
  if (days.length > 0) {
    const shortest = Math.min(...days);
    return {
      kind: 'days',
      days: shortest,
      reason: `trail files are kept ${shortest} days (configured retention)`,
    };
  }
  return { kind: 'forever', reason: 'trail files are kept as long as their bucket or directory keeps them' };
}

export const snapshotRetention: SourceRetention = {
  kind: 'snapshot',
  reason: 'AWS serves only the current state; a missed observation cannot be taken later',
};

/** Regions whose events are read: the configured ones plus us-east-1, where IAM and sign-in events land. */
export function eventRegions(account: AwsAccount): string[] {
  return [...new Set([GLOBAL_REGION, ...account.regions])];
}

/** An event of the window with the account it was read for. */
export interface AccountEvent {
  readonly account: AwsAccount;
  readonly event: TrailEvent;
}

/**
 * Every event of the window, account by account and region by region, each once per account (a global
 * event can be delivered to several regions); what cannot become an event goes to `ctx.reject` (see
 * windowEvents), and `relevant` skips other events before validation.
 */
export async function* accountEvents(
  window: Window,
  ctx: StreamContext<AwsClient>,
  relevant?: (raw: unknown) => boolean,
  loose?: LooseFileMemory,
): AsyncGenerator<AccountEvent> {
  for (const clients of ctx.client.accounts) {
    const seen = new Set<string>();
    for (const region of eventRegions(clients.account)) {
      for await (const event of windowEvents(clients, region, window, ctx, {
        ...(relevant ? { relevant } : {}),
        ...(loose ? { loose } : {}),
      })) {
        if (!seen.has(event.id)) {
          seen.add(event.id);
          yield { account: clients.account, event };
        }
      }
    }
  }
}

export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function isoOrNull(value: Date | string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const at = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

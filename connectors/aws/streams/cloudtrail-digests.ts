import { z } from 'zod';
import { defineStream, type CollectedItem, type StreamContext } from '../../../src/stream.js';
import { DAY, HOUR, type Window } from '../../../src/time.js';
import type { AccountClients, AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { digestFact, digestFactSchema, UnreadableDigest, type DigestFact } from '../digests/digest-facts.js';
import { layoutPath, parseDigestName } from '../digests/digest-format.js';
import { digestStore, type DigestStore } from '../digests/digest-store.js';
import { PublicKeys } from '../digests/public-keys.js';
import { eventRegions, eventRetention } from '../stream-common.js';
import { deliveredAt } from '../trail-files.js';
import { awsStreams } from '../manifest.js';

/** The log files found in the bucket for one account, region and hour of delivery (by file name). */
export const deliveredHourSchema = z.object({
  kind: z.literal('hour'),
  account: z.string(),
  region: z.string(),
  hourStart: z.string(),
  hourEnd: z.string(),
  logFiles: z.array(z.object({ key: z.string(), deliveredAt: z.string() })),
});

export const digestItemSchema = z.discriminatedUnion('kind', [digestFactSchema, deliveredHourSchema]);
export type DigestItem = z.infer<typeof digestItemSchema>;
export type DeliveredHour = z.infer<typeof deliveredHourSchema>;

// A digest ends about an hour after it starts and is delivered then: read the names up to this far past
// the window to find every digest that starts inside it.
const DIGEST_REACH = 3 * HOUR;

async function* hourItems(
  store: DigestStore,
  account: string,
  region: string,
  window: Window,
): AsyncGenerator<CollectedItem<DeliveredHour>> {
  const hours = new Map<number, DeliveredHour['logFiles']>();
  for (let at = window.start; at < window.end; at += HOUR) hours.set(at, []);
  for (let day = Math.floor(window.start / DAY) * DAY; day < window.end; day += DAY) {
    for (const key of await store.logFiles.listDay(account, region, day)) {
      const at = deliveredAt(key);
      if (at === undefined || at < window.start || at >= window.end) continue;
      const hour = window.start + Math.floor((at - window.start) / HOUR) * HOUR;
      hours.get(hour)?.push({
        key: store.kind === 'dir' ? layoutPath(key) : key,
        deliveredAt: new Date(at).toISOString(),
      });
    }
  }
  for (const [hour, logFiles] of hours) {
    const hourStart = new Date(hour).toISOString();
    yield {
      key: `hour/${account}/${region}/${hourStart}`,
      occurredAt: hour,
      payload: {
        kind: 'hour',
        account,
        region,
        hourStart,
        hourEnd: new Date(Math.min(hour + HOUR, window.end)).toISOString(),
        logFiles: logFiles.sort((a, b) => (a.key < b.key ? -1 : 1)),
      },
      ...(logFiles.length === 0 ? { quiet: true } : {}),
    };
  }
}

async function* digestItems(
  store: DigestStore,
  clients: AccountClients,
  region: string,
  window: Window,
  keys: PublicKeys,
  ctx: StreamContext<AwsClient>,
): AsyncGenerator<CollectedItem<DigestFact>> {
  const account = clients.account.id;
  const known = new Map<string, NonNullable<DigestFact['previousDigest']>>();
  for (let day = Math.floor(window.start / DAY) * DAY; day < window.end + DIGEST_REACH; day += DAY) {
    for (const key of await store.listDigests(account, region, day)) {
      const name = parseDigestName(key.slice(key.lastIndexOf('/') + 1));
      if (!name || name.account !== account) continue;
      if (name.endsAt < window.start || name.endsAt >= window.end + DIGEST_REACH) continue;
      const object = await store.read(key);
      if (!object) continue; // deleted between listing and reading: the chain shows it missing
      let fact: DigestFact;
      try {
        fact = await digestFact(store, key, name, object, keys, known);
      } catch (error) {
        if (!(error instanceof UnreadableDigest)) throw error;
        // A whole file unreadable: the window is marked partial until the file reads.
        await ctx.reject({ kind: 'file', reason: error.message, source: key, raw: object.bytes });
        continue;
      }
      const startsAt = Date.parse(fact.digestStartTime);
      if (!Number.isFinite(startsAt)) {
        await ctx.reject({ reason: `digestStartTime "${fact.digestStartTime}" is not a time`, source: key });
        continue;
      }
      if (startsAt < window.start || startsAt >= window.end) continue;
      yield { key: `digest/${layoutPath(key)}`, occurredAt: startsAt, payload: fact };
    }
  }
}

export const cloudtrailDigestsStream = defineStream<AwsClient, DigestItem, AwsConfig>({
  ...awsStreams['aws-cloudtrail-digests'],
  retention: eventRetention,
  itemSchema: digestItemSchema,
  populationColumns: [
    { header: 'Kind', value: (item) => item.payload.kind },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Region', value: (item) => item.payload.region },
    {
      header: 'Start (UTC)',
      value: (item) =>
        item.payload.kind === 'digest' ? item.payload.digestStartTime : item.payload.hourStart,
    },
    {
      header: 'End (UTC)',
      value: (item) => (item.payload.kind === 'digest' ? item.payload.digestEndTime : item.payload.hourEnd),
    },
    {
      header: 'Signature verified',
      value: (item) => (item.payload.kind === 'digest' ? item.payload.signature.verified : null),
    },
    { header: 'Log files', value: (item) => item.payload.logFiles.length },
    {
      header: 'Digest object',
      value: (item) => (item.payload.kind === 'digest' ? item.payload.digestS3Object : null),
    },
  ],
  async *collect(window, _cursor, ctx) {
    for (const clients of ctx.client.accounts) {
      const source = clients.account.cloudtrail;
      // LookupEvents has no files and no digests: nothing to prove from there.
      if (source.source === 'lookup') continue;
      const store = digestStore(source, clients.s3);
      const keys = new PublicKeys((region) => clients.cloudtrail(region), {
        start: window.start - DAY,
        end: window.end + DIGEST_REACH,
      });
      for (const region of eventRegions(clients.account)) {
        yield* digestItems(store, clients, region, window, keys, ctx);
        yield* hourItems(store, clients.account.id, region, window);
      }
    }
  },
});

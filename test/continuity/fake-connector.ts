import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';
import { classifyHttpStatus, EvidenceError } from '../../src/errors.js';
import {
  defineConnector,
  defineStream,
  type SourceRetention,
  type StreamDefinition,
} from '../../src/stream.js';

const configSchema = z
  .object({
    ...queueSettingsShape,
    baseUrl: z.string().url(),
    /** Where the daily stream reads from: LookupEvents (90 days) or trail files in S3 (kept forever here). */
    source: z.enum(['lookup', 's3']).default('lookup'),
  })
  .strict();
type FakeConfig = z.infer<typeof configSchema>;
interface FakeClient {
  baseUrl: string;
}

const payloadSchema = z.object({ id: z.string().optional(), events: z.number().int() }).strict();

function stream(
  id: string,
  cadence: string,
  retention: (config: FakeConfig) => SourceRetention,
): StreamDefinition<FakeClient, z.infer<typeof payloadSchema>, FakeConfig> {
  return defineStream<FakeClient, z.infer<typeof payloadSchema>, FakeConfig>({
    id,
    description: `test stream ${id}`,
    kind: 'events',
    population: 'every event of the fake source',
    evidenceName: 'Fake_Events',
    criteria: ['CC7.2'],
    isoControls: ['A.8.15'],
    cadence,
    silenceThreshold: '1d',
    sourceLag: '0s',
    retention,
    itemSchema: payloadSchema,
    async *collect(window, _cursor, ctx) {
      const url = `${ctx.client.baseUrl}/events?stream=${id}&from=${window.start}&to=${window.end}`;
      const response = await fetch(url, { signal: ctx.signal });
      if (!response.ok) {
        const { code, retry } = classifyHttpStatus(response.status);
        throw new EvidenceError(code, `fake source answered ${response.status}`, retry);
      }
      const body = (await response.json()) as { events: { id: string; at: number }[] };
      for (const event of body.events)
        yield { key: event.id, occurredAt: event.at, payload: { id: event.id, events: 1 } };
      // An hour with nothing at the source still gets an item: proof the hour was read, marked quiet.
      if (body.events.length === 0)
        yield { key: `quiet-${window.start}`, occurredAt: window.start, payload: { events: 0 }, quiet: true };
    },
  });
}

const forever: SourceRetention = { kind: 'forever', reason: 'the fake source keeps every event' };

/** A connector whose streams read the local FakeSource; registered through `extraConnectors`. */
export const fakeConnector = defineConnector<FakeConfig, FakeClient>({
  id: 'fakesrc',
  description: 'test connector over a local HTTP fake',
  configSchema,
  createClient: (config) => ({ baseUrl: config.baseUrl }),
  streams: [
    stream('fakesrc-changes', '1h', () => forever),
    stream('fakesrc-logs', '1h', () => forever),
    stream('fakesrc-trail', '1d', (config) =>
      config.source === 'lookup'
        ? { kind: 'days', days: 90, reason: 'CloudTrail LookupEvents keeps 90 days of management events' }
        : { kind: 'forever', reason: 'trail files stay in the S3 bucket as long as it keeps them' },
    ),
  ],
});

/** What a `modules:` entry in a config file loads (the CLI test uses it). */
export const connector = fakeConnector;

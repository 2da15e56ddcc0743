import { z } from 'zod';
import { defineConnector, defineStream, type ConnectorDefinition } from '../../src/stream.js';

interface Client {
  baseUrl: string;
}

/** A daily snapshot stream over the fake source: one observation per run; a missed day is gone. */
export const fakeSnapshotConnector = defineConnector<{ baseUrl: string }, Client>({
  id: 'fakesnap',
  description: 'test snapshot connector',
  configSchema: z.object({ baseUrl: z.string().url() }).strict(),
  createClient: (config) => ({ baseUrl: config.baseUrl }),
  streams: [
    defineStream<Client, { members: number }, { baseUrl: string }>({
      id: 'fakesnap-members',
      description: 'members snapshot',
      kind: 'snapshot',
      population: 'every member',
      evidenceName: 'Members',
      criteria: ['CC6.1'],
      isoControls: ['A.5.15'],
      cadence: '1d',
      silenceThreshold: '1d',
      sourceLag: '0s',
      retention: () => ({ kind: 'snapshot', reason: 'a snapshot can only be taken of the present state' }),
      itemSchema: z.object({ members: z.number() }).strict(),
      async *collect(window, _cursor, ctx) {
        const response = await fetch(
          `${ctx.client.baseUrl}/events?stream=fakesnap-members&from=${window.start}`,
        );
        if (!response.ok) throw new Error(`fake source answered ${response.status}`);
        yield { key: `members-${window.start}`, occurredAt: window.start, payload: { members: 3 } };
      },
    }),
  ],
}) as unknown as ConnectorDefinition; // registries hold connectors of any config type

import path from 'node:path';
import { seededRandom } from '../../src/sandbox/github/random.js';
import { startFakeSource, type FakeEvent, type FakeSource } from '../../test/fixtures/fake-source.js';
import { ROOT } from './cli.js';

/** The test connector over a local HTTP fake: the streams that must go on while GitHub's token is revoked. */
export const FAKE_CONNECTOR_MODULE = path.join(ROOT, 'test/fixtures/fake-connector.ts');
export const FAKE_STREAMS = ['fake-changes', 'fake-members'] as const;

/** A fake system of record with seeded events, 0-2 an hour, over [from, to). */
export async function startOtherSource(
  seed: number,
  from: number,
  to: number,
): Promise<{ source: FakeSource; token: string }> {
  const random = seededRandom(seed ^ 0xfa7e);
  const events: FakeEvent[] = [];
  for (let hour = from; hour < to; hour += 3_600_000) {
    const count = Math.floor(random() * 3);
    for (let index = 0; index < count; index += 1)
      events.push({
        id: `evt-${hour}-${index}`,
        at: hour + Math.floor(random() * 3_600_000),
        actor: `dev${index}`,
        action: 'merge',
      });
  }
  const token = 'fake-drill-token-0123456789';
  const source = await startFakeSource({ token, events });
  source.members = { alice: 'admin', bob: 'member', carol: 'member' };
  return { source, token };
}

/** Config parts adding the fake connector to a drill's config (see ConfigOptions). */
export function otherSourceConfig(source: FakeSource): { extra: string; connectors: string } {
  return {
    extra: `modules: [${FAKE_CONNECTOR_MODULE}]\n`,
    connectors: `  fake:\n    baseUrl: ${source.url}\n    concurrency: 2\n`,
  };
}

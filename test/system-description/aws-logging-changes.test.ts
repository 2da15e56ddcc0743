import { describe, expect, it } from 'vitest';
import { awsConfigSchema } from '../../connectors/aws/config.js';
import { describeAws } from '../../connectors/aws/system-description.js';
import type { DescriberInput, StoredFact } from '../../src/export/system-description/describer.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1);
const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main';
const iso = (at: number) => new Date(at).toISOString();

/** One daily trail-status observation, as the aws-trail-status stream stores it. */
function observed(day: number, status: { isLogging: boolean; start: number | null; stop: number | null }) {
  return {
    key: `${iso(START + day * DAY)}/123456789012/${TRAIL}`,
    occurredAt: START + day * DAY,
    payload: {
      account: '123456789012',
      trailArn: TRAIL,
      isLogging: status.isLogging,
      multiRegion: true,
      logFileValidation: true,
      startLoggingTime: status.start === null ? null : iso(status.start),
      stopLoggingTime: status.stop === null ? null : iso(status.stop),
    },
  };
}

function input(facts: readonly StoredFact[]) {
  const config = awsConfigSchema.parse({ accounts: [{ id: '123456789012', regions: ['us-east-1'] }] });
  return {
    config,
    period: { start: START, end: START + 10 * DAY },
    streams: ['aws-trail-status'],
    async *facts(stream: string) {
      if (stream === 'aws-trail-status') yield* facts;
    },
    cite: (stream: string) => ({ file: `${stream}.xlsx`, rows: facts.length }),
  } satisfies DescriberInput<typeof config>;
}

describe('the AWS describer dates logging stops and restarts', () => {
  it('from the trail status stop and start times, though no daily observation saw the trail off', async () => {
    const createdAt = START - 100 * DAY;
    const stop = START + 3 * DAY + 3_600_000;
    const restart = stop + 5 * 3_600_000;
    const facts = [
      observed(0, { isLogging: true, start: createdAt, stop: null }),
      observed(1, { isLogging: true, start: createdAt, stop: null }),
      // Observed after the restart: still logging, but the trail keeps both times.
      observed(4, { isLogging: true, start: restart, stop }),
      observed(5, { isLogging: true, start: restart, stop }),
    ];
    const { changes } = await describeAws(input(facts));
    expect(changes?.map((change) => ({ at: change.at, text: change.text, file: change.cite?.file }))).toEqual(
      [
        {
          at: stop,
          text: `Logging stopped on trail ${TRAIL} at ${iso(stop)}`,
          file: 'aws-trail-status.xlsx',
        },
        {
          at: restart,
          text: `Logging restarted on trail ${TRAIL} at ${iso(restart)}`,
          file: 'aws-trail-status.xlsx',
        },
      ],
    );
  });

  it('from the observed state when the source gives no times, and nothing for times before the period', async () => {
    const facts = [
      observed(0, { isLogging: true, start: START - DAY, stop: START - 2 * DAY }),
      observed(1, { isLogging: true, start: START - DAY, stop: START - 2 * DAY }),
      // A source without the times: the change is dated by the observation that saw it.
      observed(2, { isLogging: false, start: null, stop: null }),
    ];
    const { changes } = await describeAws(input(facts));
    expect(changes?.map((change) => [change.at, change.text])).toEqual([
      [START + 2 * DAY, `Logging stopped on trail ${TRAIL} (observed)`],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Planned } from '../../src/collection/backfill.js';
import { windowRounds } from '../../src/collection/window-rounds.js';
import { DAY } from '../../src/time.js';

const planned = (id: string, windowsInOrder: boolean, days: number[]): Planned[] =>
  days.map((day) => ({
    stream: { id, definition: { windowsInOrder } } as unknown as Planned['stream'],
    window: { start: day * DAY, end: (day + 1) * DAY },
  }));
const label = (round: Planned[]) => round.map((e) => `${e.stream.id}@${e.window.start / DAY}`).sort();

describe('windowRounds', () => {
  it('collects a diffing stream one window per round, oldest first, beside every window of the others', () => {
    const rounds = windowRounds([
      ...planned('hr', true, [3, 1, 2]),
      ...planned('events', false, [1, 2, 3]),
      ...planned('okta', true, [1]),
    ]);
    expect(rounds.map(label)).toEqual([
      ['events@1', 'events@2', 'events@3', 'hr@1', 'okta@1'],
      ['hr@2'],
      ['hr@3'],
    ]);
  });

  it('is one round when no stream needs order, and nothing for nothing', () => {
    expect(windowRounds(planned('events', false, [1, 2])).map(label)).toEqual([['events@1', 'events@2']]);
    expect(windowRounds([])).toEqual([]);
  });
});

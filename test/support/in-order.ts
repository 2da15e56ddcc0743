import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { RunLedger } from '../../src/store/run-ledger.js';
import { DAY, type Clock } from '../../src/time.js';
import { presetRows, staff, tempDir, writeCsv, type TestEmployee } from '../hr-file/support.js';

/** The first of the HR days the tests collect. */
export const D0 = Date.UTC(2026, 2, 2);
export const dayText = (n: number) => new Date(D0 + n * DAY).toISOString().slice(0, 10);

/**
 * A logical clock: every read is one millisecond after the one before, so the ledger's started_at and
 * finished_at order every run of every window without reading wall-clock time.
 */
export function steppingClock(start: number): Clock {
  let now = start;
  return () => (now += 1);
}

/** How a day's export is broken: cut off while written (retriable), or in a layout no preset knows (fatal). */
export type BrokenExport = 'empty' | 'unknown-layout';

/**
 * A drop directory with one dated export per day 0..days-1: the staff, plus on each day n > 0 a hire
 * (employee id 200 + n) starting that day, so every day's diff names the hires since its baseline.
 */
export function hrExports(days: number, broken: Readonly<Record<number, BrokenExport>> = {}): string {
  const dir = tempDir();
  for (let n = 0; n < days; n += 1) {
    const file = path.join(dir, `bamboohr-${dayText(n)}.csv`);
    if (broken[n] === 'empty') writeFileSync(file, '');
    else if (broken[n] === 'unknown-layout')
      writeCsv(file, [
        ['Badge', 'Nickname'],
        ['1', 'ada'],
      ]);
    else writeCsv(file, presetRows('bamboohr', employeesOn(n)));
  }
  return dir;
}

function employeesOn(n: number): TestEmployee[] {
  const hires = Array.from({ length: n }, (_, index) => ({
    ...staff[0]!,
    employeeId: String(201 + index),
    email: `hire${201 + index}@acme.test`,
    firstName: `Hire${201 + index}`,
    startDate: dayText(index + 1),
  }));
  return [...staff, ...hires];
}

export interface WindowRuns {
  readonly day: number;
  /** Status and attempt of each run of the window, in the order they started. */
  readonly runs: readonly string[];
}

/**
 * The stream's runs grouped by window, in the order the windows were first started. Asserts the order is
 * strict: every run of a window finished before any run of the next window started.
 */
export async function runsInOrder(store: EvidenceStore, stream: string, days: number): Promise<WindowRuns[]> {
  const runs = await new RunLedger(store).forStream(stream, D0, D0 + days * DAY);
  const byWindow = new Map<number, typeof runs>();
  for (const run of [...runs].sort((a, b) => a.started_at - b.started_at))
    byWindow.set(run.window_start, [...(byWindow.get(run.window_start) ?? []), run]);
  const windows = [...byWindow.values()];
  for (let index = 1; index < windows.length; index += 1) {
    const before = windows[index - 1]!;
    const after = windows[index]!;
    const settledAt = Math.max(...before.map((run) => run.finished_at ?? Number.POSITIVE_INFINITY));
    const startedAt = Math.min(...after.map((run) => run.started_at));
    expect(startedAt, 'a window started before the one before it settled').toBeGreaterThan(settledAt);
  }
  return windows.map((list) => ({
    day: Math.round((list[0]!.window_start - D0) / DAY),
    runs: list.map((run) => `${run.status}#${run.attempt}`),
  }));
}

/** Per collected day: the day its diff was taken against and the hires it names. */
export async function diffsByDay(store: EvidenceStore, stream: string, days: number) {
  const diffs = new Map<string, { since: string; hires: string[] }>();
  for await (const row of new EvidenceRepository(store).population(stream, D0, D0 + days * DAY)) {
    const payload = JSON.parse(row.payload) as {
      kind: string;
      day: string;
      since?: string;
      change?: string;
      employeeId?: string;
    };
    if (payload.kind !== 'change' || payload.change !== 'hire') continue;
    const entry = diffs.get(payload.day) ?? { since: payload.since!, hires: [] };
    entry.hires.push(payload.employeeId!);
    diffs.set(payload.day, entry);
  }
  return Object.fromEntries([...diffs].map(([day, entry]) => [day, { ...entry, hires: entry.hires.sort() }]));
}

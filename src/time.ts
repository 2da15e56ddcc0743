import { z } from 'zod';

/** Half-open UTC interval [start, end) in epoch milliseconds. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d+)(s|m|h|d|w)$/;

export const HOUR = UNIT_MS.h;
export const DAY = UNIT_MS.d;

/** Parses "15m", "1h", "90d" into milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`expected a duration like "15m", "1h" or "90d", got "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export const durationSchema = z
  .string()
  .regex(DURATION, 'expected a duration like "15m", "1h" or "90d"')
  .transform((text) => parseDuration(text));

export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0 && ms >= UNIT_MS[unit]) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

export function alignDown(at: number, cadence: number): number {
  return Math.floor(at / cadence) * cadence;
}

/** Windows of `cadence` on the epoch grid covering [from, to); from and to are aligned down first. */
export function gridWindows(from: number, to: number, cadence: number): Window[] {
  const windows: Window[] = [];
  for (let start = alignDown(from, cadence); start + cadence <= to; start += cadence) {
    windows.push({ start, end: start + cadence });
  }
  return windows;
}

export function iso(at: number): string {
  return new Date(at).toISOString();
}

export function formatWindow(window: Window): string {
  return `[${iso(window.start)}, ${iso(window.end)})`;
}

const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** Parses YYYY-MM-DD as UTC midnight; returns undefined for anything that is not a real calendar day. */
export function parseDay(text: string): number | undefined {
  if (!DAY_TEXT.test(text)) return undefined;
  const at = Date.parse(`${text}T00:00:00.000Z`);
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text) return undefined;
  return at;
}

/** A source of "now"; tests pass a fake one. Streams never see it. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

/** The UTC day a snapshot window opens, as used in snapshot item keys: `2026-06-14`. */
export function snapshotDay(windowStart: number): string {
  return new Date(windowStart).toISOString().slice(0, 10);
}

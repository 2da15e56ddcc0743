import { Catalogue } from '../catalogue/catalogue.js';
import type { Gap, StreamContinuity } from '../continuity/types.js';
import type { EvidenceStore } from '../store/open-store.js';
import type { Window } from '../time.js';
import { loadArtefactTypes, type ArtefactType, type Recurrence } from './artefact-types.js';

/** Calendar slots (quarters or years, UTC) that overlap the period. */
export function recurrenceSlots(recurrence: Exclude<Recurrence, 'none'>, period: Window): Window[] {
  const months = recurrence === 'quarterly' ? 3 : 12;
  const first = new Date(period.start);
  let year = first.getUTCFullYear();
  let month = Math.floor(first.getUTCMonth() / months) * months;
  const slots: Window[] = [];
  for (;;) {
    const start = Date.UTC(year, month, 1);
    if (start >= period.end) return slots;
    month += months;
    if (month >= 12) {
      year += Math.floor(month / 12);
      month %= 12;
    }
    slots.push({ start, end: Date.UTC(year, month, 1) });
  }
}

function slotName(recurrence: Exclude<Recurrence, 'none'>, slot: Window): string {
  const at = new Date(slot.start);
  return recurrence === 'quarterly'
    ? `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`
    : `${at.getUTCFullYear()}`;
}

/**
 * One continuity entry per artefact type with an expected recurrence: a slot (a quarter for access reviews,
 * a year for management reviews) with no artefact whose period overlaps it is a gap, like a stream's.
 */
export function recurrenceContinuity(
  type: ArtefactType & { recurrence: Exclude<Recurrence, 'none'> },
  artefacts: readonly Window[],
  period: Window,
  now: number,
): StreamContinuity {
  const covered: Window[] = [];
  const gaps: Gap[] = [];
  for (const slot of recurrenceSlots(type.recurrence, period)) {
    const clipped = { start: Math.max(slot.start, period.start), end: Math.min(slot.end, period.end) };
    const present = artefacts.some((artefact) => artefact.start < slot.end && artefact.end > slot.start);
    const last = covered.at(-1);
    if (present && last && last.end === clipped.start)
      covered[covered.length - 1] = { start: last.start, end: clipped.end };
    else if (present) covered.push(clipped);
    else if (slot.end > now)
      gaps.push({
        ...clipped,
        cause: 'not_yet_due',
        recoverable: true,
        reason: `the ${slotName(type.recurrence, slot)} ${type.title.toLowerCase()} is not due until ${new Date(slot.end).toISOString().slice(0, 10)}`,
      });
    else
      gaps.push({
        ...clipped,
        cause: 'artefact_missing',
        recoverable: true,
        reason: `no ${type.title.toLowerCase()} registered for ${slotName(type.recurrence, slot)} (expected ${type.recurrence}); register it with "artefacts add" if it exists`,
      });
  }
  const span = period.end - period.start;
  const coveredMs = covered.reduce((sum, window) => sum + window.end - window.start, 0);
  return {
    stream: `artefact:${type.type}`,
    kind: 'artefact',
    criteria: type.criteria,
    period,
    coveragePercent: span > 0 ? (coveredMs / span) * 100 : 100,
    covered,
    gaps,
    silent: [],
    itemCount: artefacts.length,
    exceptionCount: 0,
  };
}

let types: ArtefactType[] | undefined;

/** Expected recurrences of ISO artefacts as continuity entries of kind 'artefact', with a gap per missing one. */
export async function artefactContinuity(
  store: EvidenceStore,
  period: Window,
  now: number,
): Promise<StreamContinuity[]> {
  types ??= loadArtefactTypes(Catalogue.load());
  const rows = await store.db
    .selectFrom('artefacts')
    .select(['type', 'period_start', 'period_end'])
    .where('period_start', '<', period.end)
    .where('period_end', '>', period.start)
    .execute();
  const entries: StreamContinuity[] = [];
  for (const type of types) {
    if (type.recurrence === 'none') continue;
    const windows = rows
      .filter((row) => row.type === type.type)
      .map((row) => ({ start: Number(row.period_start), end: Number(row.period_end) }));
    entries.push(recurrenceContinuity({ ...type, recurrence: type.recurrence }, windows, period, now));
  }
  return entries;
}

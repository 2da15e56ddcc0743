import path from 'node:path';
import { z } from 'zod';
import { emptySnapshotItem } from '../../../src/empty-snapshot.js';
import { defineStream, type CollectedItem, type Cursor } from '../../../src/stream.js';
import type { HrFileClient } from '../client.js';
import type { HrFileConfig } from '../config.js';
import { employeeRecordSchema } from '../employees.js';
import { assertNotTruncated, diffWorkforce, keep, type Workforce } from '../workforce-diff.js';
import { hrFileStreams } from '../manifest.js';

const text = z.string().nullable();

export const workforceItemSchema = z.discriminatedUnion('kind', [
  employeeRecordSchema.extend({
    kind: z.literal('employee'),
    day: z.string(),
    /** The export read for the day and the day it was imported. */
    file: z.string(),
    importDay: z.string(),
  }),
  z.object({
    kind: z.literal('change'),
    day: z.string(),
    since: z.string(),
    change: z.enum(['hire', 'termination', 'move', 'end-date-changed', 'status-changed']),
    employeeId: z.string(),
    email: z.string(),
    name: z.string(),
    effectiveDate: z.string(),
    dateSource: z.enum(['file', 'observed']),
    field: text,
    from: text,
    to: text,
  }),
  /** The day's export was read and listed no employee (a header row and nothing under it). */
  z.object({
    kind: z.literal('empty'),
    day: z.string(),
    file: z.string(),
    importDay: z.string(),
    description: z.string(),
  }),
]);
export type WorkforceItem = z.infer<typeof workforceItemSchema>;

interface Observation {
  day: string;
  workforce: Workforce;
}
interface WorkforceCursor {
  latest: Observation;
  previous?: Observation;
}

/**
 * Re-running the latest day compares with what came before it, as the first run did. A day older than the
 * latest (a failed day repaired after later days were collected) has no baseline: the day after it was
 * already compared with the day before it, so its changes are reported there, once.
 */
function baselineFor(kept: WorkforceCursor | undefined, day: string): Observation | undefined {
  if (!kept) return undefined;
  if (kept.latest.day < day) return kept.latest;
  if (kept.latest.day > day) return undefined;
  return kept.previous && kept.previous.day < day ? kept.previous : undefined;
}

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export const workforceStream = defineStream<HrFileClient, WorkforceItem, HrFileConfig>({
  ...hrFileStreams['hr-workforce'],
  windowsInOrder: true,
  retention: (config) =>
    config.directory !== undefined
      ? { kind: 'forever', reason: 'dated exports are kept in the directory as long as it keeps them' }
      : { kind: 'snapshot', reason: 'a single export file holds only the current workforce' },
  itemSchema: workforceItemSchema,
  populationColumns: [
    { header: 'Day', value: (item) => item.payload.day },
    { header: 'Kind', value: (item) => item.payload.kind },
    { header: 'Employee ID', value: ({ payload: p }) => (p.kind === 'empty' ? null : p.employeeId) },
    { header: 'Work Email', value: ({ payload: p }) => (p.kind === 'empty' ? null : p.email) },
    { header: 'Name', value: ({ payload: p }) => (p.kind === 'empty' ? null : p.name) },
    {
      header: 'Start Date',
      value: (item) => (item.payload.kind === 'employee' ? item.payload.startDate : null),
    },
    { header: 'End Date', value: (item) => (item.payload.kind === 'employee' ? item.payload.endDate : null) },
    {
      header: 'Change',
      value: ({ payload: p }) => (p.kind === 'change' ? p.change : p.kind === 'empty' ? p.description : null),
    },
    {
      header: 'Effective Date',
      value: (item) => (item.payload.kind === 'change' ? item.payload.effectiveDate : null),
    },
  ],
  async *collect(window, cursor, ctx) {
    const day = dayOf(window.start);
    const read = await ctx.client.readDay(day);
    const file = path.basename(read.file.path);
    const kept = cursor?.workforce as WorkforceCursor | undefined;
    const baseline = baselineFor(kept, day);
    const workforce: Workforce = {};
    for (const employee of read.employees) workforce[employee.employeeId] = keep(employee);
    if (baseline) assertNotTruncated(baseline.workforce, workforce, file, ctx.client.config.maxVanishedShare);
    for (const rejection of read.rejected) await ctx.reject(rejection);
    const item = (key: string, payload: WorkforceItem): CollectedItem<WorkforceItem> => ({
      key: `${day}/${key}`,
      occurredAt: window.start,
      payload,
    });
    // Rejected rows are records the export did hold: only an export listing none is an empty read.
    if (read.employees.length === 0 && read.rejected.length === 0)
      yield emptySnapshotItem(day, window.start, {
        kind: 'empty',
        day,
        file,
        importDay: read.file.importDay,
        description: `${file} read: no employees`,
      } satisfies WorkforceItem);
    for (const employee of read.employees) {
      yield item(`employee/${employee.employeeId}`, {
        kind: 'employee',
        day,
        file,
        importDay: read.file.importDay,
        ...employee,
      });
    }
    if (baseline) {
      for (const change of diffWorkforce(baseline.workforce, workforce, day)) {
        yield item(`change/${change.employeeId}/${change.change}/${change.field ?? ''}`, {
          kind: 'change',
          day,
          since: baseline.day,
          ...change,
        });
      }
    }
    // A re-run of a day before the latest observation (a retry that came late) hands back no cursor, so
    // the stored one is left as it is, even if a later day wrote it while this one was read.
    if (kept && kept.latest.day > day) return;
    const next: WorkforceCursor =
      kept && kept.latest.day < day
        ? { latest: { day, workforce }, previous: kept.latest }
        : { latest: { day, workforce }, ...(baseline ? { previous: baseline } : {}) };
    return { workforce: next } as Cursor;
  },
});

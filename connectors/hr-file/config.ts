import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';
import { presetIds } from './presets.js';

/** The fields an employee record is read into; `name` may come from first and last name columns. */
export const fieldNames = [
  'employeeId',
  'email',
  'name',
  'firstName',
  'lastName',
  'startDate',
  'endDate',
  'status',
  'department',
  'manager',
  'jobTitle',
] as const;
export type FieldName = (typeof fieldNames)[number];

const column = z.string().min(1, 'expected a column header as it appears in the export');

/** Explicit column mapping: field → header in the file. Wins over a preset field by field. */
export const columnMappingSchema = z
  .object(
    Object.fromEntries(fieldNames.map((field) => [field, column.optional()])) as Record<
      FieldName,
      z.ZodOptional<typeof column>
    >,
  )
  .strict();
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const dateFormats = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof dateFormats)[number];

export const hrFileConfigSchema = z
  .object({
    /** One export file, read whole every day (the current state, like an API). */
    file: z.string().min(1, 'expected a path to a .csv or .xlsx export').optional(),
    /** A directory exports are dropped into; the newest file of each import day stands for that day. */
    directory: z.string().min(1, 'expected a directory path').optional(),
    /** Whose export layout the columns follow; `auto` picks the preset whose columns are all present. */
    preset: z
      .enum(['auto', ...presetIds], {
        error: () => `expected preset to be one of auto, ${presetIds.join(', ')}`,
      })
      .default('auto'),
    columns: columnMappingSchema.default({}),
    /** How dates other than YYYY-MM-DD are written; defaults to the preset's. */
    dateFormat: z
      .enum(dateFormats, { error: () => `expected dateFormat to be one of ${dateFormats.join(', ')}` })
      .optional(),
    /** XLSX: the worksheet to read; defaults to the first. */
    sheet: z.string().min(1).optional(),
    /** Directory: the newest export may be this many days old before a day's observation fails. */
    maxExportAgeDays: z.number().int().min(0).default(3),
    /**
     * An export in which more than this share of the previous day's current employees vanished without an
     * end date is taken for a truncated or partial file, not mass leavers: the day fails and the previous
     * state stands. 1 turns the guard off; fewer than three vanished rows never trip it.
     */
    maxVanishedShare: z.number().min(0).max(1).default(0.25),
    ...queueSettingsShape,
  })
  .strict()
  .refine((config) => (config.file === undefined) !== (config.directory === undefined), {
    message: 'expected exactly one of file or directory',
    path: ['file'],
  });

export type HrFileConfig = z.infer<typeof hrFileConfigSchema>;

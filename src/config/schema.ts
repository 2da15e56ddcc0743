import { z } from 'zod';
import { alertsConfigSchema, defaultAlertsConfig } from '../alerts/config.js';
import { checkSettingsSchema } from '../checks/check-set.js';
import { serviceAccountSchema } from '../../checks/people/settings.js';
import { durationSchema } from '../time.js';

const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Per-stream overrides of the stream's declared defaults. */
export const streamSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    cadence: durationSchema.optional(),
    silenceThreshold: durationSchema.optional(),
    sourceLag: durationSchema.optional(),
    /** How much of a past period one backfill window reads (a multiple of the cadence). */
    backfillSpan: durationSchema.optional(),
  })
  .strict();

export const mappingOverrideSchema = z
  .object({
    criteria: z.array(z.string()).optional(),
    isoControls: z.array(z.string()).optional(),
  })
  .strict();

/** pino's levels, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z
  .object({
    /** `file:PATH` (SQLite, the default) or `postgres://...`; DATABASE_URL wins. */
    store: z
      .object({ url: z.string().default('file:./data/evidence.db') })
      .strict()
      .default({ url: 'file:./data/evidence.db' }),
    redis: z
      .object({ url: z.string().default('redis://127.0.0.1:6379'), prefix: z.string().default('evidence') })
      .strict()
      .default({ url: 'redis://127.0.0.1:6379', prefix: 'evidence' }),
    audit: z
      .object({
        /** The earliest day the planner schedules; earlier windows come only from `backfill`. */
        start: dayText.optional(),
        /** Trust Services categories in scope beside Security (always in scope). */
        categories: z
          .array(z.enum(['Availability', 'Confidentiality', 'Processing Integrity', 'Privacy']))
          .default([]),
      })
      .strict()
      .default({ categories: [] }),
    schedule: z
      .object({
        planner: z.string().default('* * * * *'),
        continuity: z.string().default('*/5 * * * *'),
        /** How many windows one tick may enqueue per stream (catch-up is spread over ticks). */
        maxWindowsPerTick: z.number().int().positive().default(500),
        /** Where a stream has no watermark yet, how far back the first tick starts. */
        initialLookback: durationSchema.default(86_400_000),
        /** A backfill collects past periods in windows this long (a multiple of each stream's cadence). */
        backfillWindow: durationSchema.default(86_400_000),
      })
      .strict()
      .default({
        planner: '* * * * *',
        continuity: '*/5 * * * *',
        maxWindowsPerTick: 500,
        initialLookback: 86_400_000,
        backfillWindow: 86_400_000,
      }),
    queue: z
      .object({
        attempts: z.number().int().positive().default(5),
        backoffMs: z.number().int().positive().default(5_000),
        /** Completed jobs are kept this long so duplicate enqueues collapse on their id. */
        keepCompleted: durationSchema.default(604_800_000),
        /** A job whose worker died is picked up again after its lock expires. */
        lockDurationMs: z.number().int().positive().default(30_000),
        stalledIntervalMs: z.number().int().positive().default(30_000),
      })
      .strict()
      .default({
        attempts: 5,
        backoffMs: 5_000,
        keepCompleted: 604_800_000,
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
      }),
    streams: z.record(z.string(), streamSettingsSchema).default({}),
    mappings: z
      .object({ overrides: z.record(z.string(), mappingOverrideSchema).default({}) })
      .strict()
      .default({ overrides: {} }),
    /** `checks.<id>`: `enabled` and the check's policy (validated by the check's own schema). */
    checks: checkSettingsSchema.default({}),
    /** Each connector validates its own section with its own schema. */
    connectors: z.record(z.string(), z.unknown()).default({}),
    /** Extra connector modules (paths, relative to the config file) that export `connector`. */
    modules: z.array(z.string()).default([]),
    alerts: alertsConfigSchema.default(defaultAlertsConfig),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    /** The people register: how accounts link to people where email alone does not tell. */
    people: z
      .object({
        /** YAML or CSV file (relative to the config file) of rows: system, account, person (email). */
        mappings: z.string().min(1, 'expected a path to a YAML or CSV mapping file').optional(),
        serviceAccounts: z.array(serviceAccountSchema).default([]),
        /** The IAM user tag holding the person's email. */
        iamEmailTag: z.string().min(1).default('email'),
      })
      .strict()
      .default({ serviceAccounts: [], iamEmailTag: 'email' }),
    /** Ed25519 key that signs each package's MANIFEST.json: a PEM file path, or `${VAR}` holding the PEM. */
    signing: z
      .object({
        privateKey: z
          .string('expected a PEM file path or ${VAR} holding the PEM')
          .min(1, 'expected a PEM file path or ${VAR} holding the PEM'),
      })
      .strict()
      .optional(),
    /** LOG_LEVEL wins, like DATABASE_URL: an operator's one-run override. */
    logLevel: z.enum(LOG_LEVELS).default('info'),
  })
  .strict();

export type EvidenceConfig = z.infer<typeof configSchema>;
export type StreamSettings = z.infer<typeof streamSettingsSchema>;

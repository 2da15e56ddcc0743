import { z } from 'zod';

/** Queue settings every connector section accepts beside its own fields (spread into its schema). */
export const queueSettingsShape = {
  enabled: z.boolean().default(true),
  /** Windows of this connector collected at once per worker process. */
  concurrency: z.number().int().positive().default(2),
  /** At most `max` collect jobs per `durationMs` across all workers. */
  rateLimit: z
    .object({ max: z.number().int().positive(), durationMs: z.number().int().positive() })
    .strict()
    .optional(),
};

export const queueSettingsSchema = z.object(queueSettingsShape);
export type QueueSettings = z.infer<typeof queueSettingsSchema>;

export function queueSettingsOf(connectorConfig: unknown): QueueSettings {
  const parsed = queueSettingsSchema.safeParse(connectorConfig ?? {});
  return parsed.success ? parsed.data : { enabled: true, concurrency: 2 };
}

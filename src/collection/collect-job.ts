import { z } from 'zod';

/** The payload of a collect job: which stream, which window, why. */
export const collectJobSchema = z
  .object({
    stream: z.string().min(1),
    windowStart: z.number().int().nonnegative(),
    windowEnd: z.number().int().positive(),
    trigger: z.enum(['schedule', 'backfill', 'repair']),
  })
  .strict()
  .refine((data) => data.windowEnd > data.windowStart, { message: 'windowEnd must be after windowStart' });

export type CollectJobData = z.infer<typeof collectJobSchema>;

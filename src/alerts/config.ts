import { z } from 'zod';
import { durationSchema } from '../time.js';

const webhookSchema = z
  .object({
    /** A secret (Slack incoming webhooks carry their token in the path): only its origin is ever logged. */
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    /** `slack`: a Slack-compatible `{ text, blocks }` body; `json`: a plain JSON event. */
    format: z.enum(['slack', 'json']).default('slack'),
    timeoutMs: z.number().int().positive().default(10_000),
    /** Delivery attempts before a notification is given up (and logged as undelivered). */
    maxAttempts: z.number().int().positive().default(8),
    /** First retry delay; doubled per attempt up to maxBackoff. */
    backoff: durationSchema.default(30_000),
    maxBackoff: durationSchema.default(3_600_000),
  })
  .strict();

const repairSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Bounded effort: at most this many windows re-enqueued (and as many findings recorded) per check. */
    maxWindowsPerCheck: z.number().int().positive().default(50),
    /** Windows that closed less than this long ago are the planner's to enqueue, not the repair's. */
    grace: durationSchema.default(900_000),
  })
  .strict();

const silenceSchema = z
  .object({
    /** History before the judged period a threshold is learned from, where config sets none. */
    learnFrom: durationSchema.default(30 * 86_400_000),
    /** Learned threshold = factor x the longest quiet stretch in that history. */
    factor: z.number().positive().default(3),
    /** Learn only from history spanning at least this long. */
    minHistory: durationSchema.default(7 * 86_400_000),
  })
  .strict();

/** The `alerts:` section: when an integration counts as failing, silent or stopped, and where to say so. */
export const alertsConfigSchema = z
  .object({
    webhook: webhookSchema.optional(),
    /** Failing after this many consecutive failed runs (any credential error fails at once). */
    failingAfter: z.number().int().positive().default(3),
    /**
     * Codes that mean "the source refuses our credentials", beside the core's (HTTP 401/403, missing
     * token, bad config) and those each configured connector declares (`credentialErrorCodes`).
     */
    credentialErrorCodes: z.array(z.string().min(1)).default([]),
    /** Stopped when no run started for longer than this many cadences. */
    stoppedAfterCadences: z.number().positive().default(3),
    /** While an alert lasts, it is repeated at this interval. */
    remindEvery: durationSchema.default(86_400_000),
    /** Without `audit.start`, the checker judges this far back (each stream from its first run). */
    lookback: durationSchema.default(35 * 86_400_000),
    silence: silenceSchema.default({ learnFrom: 30 * 86_400_000, factor: 3, minHistory: 7 * 86_400_000 }),
    repair: repairSchema.default({ enabled: true, maxWindowsPerCheck: 50, grace: 900_000 }),
  })
  .strict();

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;

export const defaultAlertsConfig: AlertsConfig = alertsConfigSchema.parse({});

/** The core's own credential codes (classifyHttpStatus, missing token, bad config). */
export const CORE_CREDENTIAL_CODES = ['AUTH_INVALID', 'AUTH_FORBIDDEN', 'AUTH_MISSING', 'CONFIG_INVALID'];

/** Every code that counts as a credential error here: the core's, the config's and the connectors'. */
export function credentialCodes(
  alerts: AlertsConfig,
  connectors: readonly { readonly credentialErrorCodes?: readonly string[] }[],
): string[] {
  return [
    ...new Set([
      ...CORE_CREDENTIAL_CODES,
      ...alerts.credentialErrorCodes,
      ...connectors.flatMap((connector) => connector.credentialErrorCodes ?? []),
    ]),
  ];
}

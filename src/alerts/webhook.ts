import type { Logger } from 'pino';
import type { EvidenceStore } from '../store/open-store.js';
import type { Clock } from '../time.js';
import type { WebhookConfig } from './config.js';
import { webhookBody } from './messages.js';

/** A webhook URL is a secret (Slack puts the token in the path): only its origin may be shown. */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '[webhook url]';
  }
}

const BATCH = 50;

/**
 * Delivers the alert outbox to the webhook. A failed delivery is retried later with exponential backoff
 * (the schedule lives in the store, so it survives restarts) and given up after `maxAttempts`; nothing
 * here ever throws into the caller, so a broken webhook cannot stop the checker or collection.
 */
export class WebhookDelivery {
  constructor(
    private readonly deps: {
      store: EvidenceStore;
      webhook: WebhookConfig | undefined;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Sends every notification whose next attempt is due; returns how many were delivered. */
  async deliverPending(): Promise<number> {
    const { webhook, store, logger } = this.deps;
    if (!webhook) return 0;
    let delivered = 0;
    try {
      const now = this.deps.clock();
      const due = await store.db
        .selectFrom('alert_notifications')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      for (const note of due) {
        // Claim it: of two instances, only the one whose update lands sends it.
        const claimed = await store.db
          .updateTable('alert_notifications')
          .set({ next_attempt_at: now + webhook.timeoutMs * 2 })
          .where('id', '=', note.id)
          .where('status', '=', 'pending')
          .where('next_attempt_at', '=', note.next_attempt_at)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) continue;
        const body = webhookBody(webhook.format, {
          alertId: note.alert_id,
          stream: note.stream,
          kind: note.kind,
          event: note.event,
          text: note.message,
          at: note.created_at,
        });
        const error = await this.post(webhook, body);
        const attempts = note.attempts + 1;
        const at = this.deps.clock();
        if (!error) {
          delivered += 1;
          await store.db
            .updateTable('alert_notifications')
            .set({ status: 'sent', attempts, delivered_at: at, last_error: null })
            .where('id', '=', note.id)
            .execute();
          continue;
        }
        const giveUp = attempts >= webhook.maxAttempts;
        const delay = Math.min(webhook.maxBackoff, webhook.backoff * 2 ** (attempts - 1));
        await store.db
          .updateTable('alert_notifications')
          .set({
            status: giveUp ? 'failed' : 'pending',
            attempts,
            next_attempt_at: at + delay,
            last_error: error,
          })
          .where('id', '=', note.id)
          .execute();
        const fields = {
          webhook: redactUrl(webhook.url),
          stream: note.stream,
          kind: note.kind,
          attempts,
          err: error,
        };
        if (giveUp) logger.error(fields, 'alert notification undelivered: webhook kept failing, giving up');
        else logger.warn({ ...fields, retryInMs: delay }, 'alert webhook failed, will retry');
      }
    } catch (thrown) {
      logger.error({ err: (thrown as Error).message }, 'alert delivery pass failed');
    }
    return delivered;
  }

  /** Returns an error text without the URL, or undefined on a 2xx answer. */
  private async post(webhook: WebhookConfig, body: unknown): Promise<string | undefined> {
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(webhook.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (thrown) {
      const error = thrown as Error & { cause?: { code?: string } };
      const text = `${error.name}: ${error.message}${error.cause?.code ? ` (${error.cause.code})` : ''}`;
      return text.split(webhook.url).join(redactUrl(webhook.url));
    }
  }
}

import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { EvidenceStore } from '../store/open-store.js';
import type { AlertEvent, AlertKind, AlertsTable, Database } from '../store/schema.js';
import { notificationText } from './messages.js';

export type Alert = AlertsTable;

/** What a rule found wrong with a stream right now. */
export interface AlertFinding {
  readonly stream: string;
  readonly kind: AlertKind;
  readonly message: string;
  readonly detail: Record<string, unknown>;
}

/** A notification written to the outbox (and to be logged by the caller). */
export interface Notification {
  readonly alertId: string;
  readonly stream: string;
  readonly kind: AlertKind;
  readonly event: AlertEvent;
  readonly text: string;
}

/**
 * Alert state in the store. Every transition is a conditional write in the same transaction as its
 * outbox row, so a restarted process (or a second instance) neither repeats nor forgets a notification.
 */
export class AlertStore {
  constructor(
    private readonly store: EvidenceStore,
    private readonly delivery: 'pending' | 'logged',
  ) {}

  async open(): Promise<Alert[]> {
    return this.store.db.selectFrom('alerts').selectAll().where('closed_at', 'is', null).execute();
  }

  /** The newest open alerts, at most `limit`, for the operator surface. */
  async newestOpen(limit: number): Promise<Pick<Alert, 'stream' | 'kind' | 'message' | 'opened_at'>[]> {
    return this.store.db
      .selectFrom('alerts')
      .select(['stream', 'kind', 'message', 'opened_at'])
      .where('closed_at', 'is', null)
      .orderBy('opened_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Opens the alert unless one is already open for the stream and kind; returns the notification if it opened. */
  async raise(finding: AlertFinding, now: number): Promise<Notification | undefined> {
    const id = randomUUID();
    return this.store.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('alerts')
        .values({
          id,
          stream: finding.stream,
          kind: finding.kind,
          status: 'open',
          message: finding.message,
          detail: JSON.stringify(finding.detail),
          opened_at: now,
          last_notified_at: now,
          reminders: 0,
          closed_at: null,
        })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) return undefined;
      return this.notify(trx, { id, ...finding, opened_at: now }, 'opened', 0, finding.message, now);
    });
  }

  /** Keeps the message current; reminds when `remindEvery` has passed since the last notification. */
  async persist(
    alert: Alert,
    finding: AlertFinding,
    now: number,
    remindEvery: number,
  ): Promise<Notification | undefined> {
    return this.store.db.transaction().execute(async (trx) => {
      const due = now - alert.last_notified_at >= remindEvery;
      const update = trx
        .updateTable('alerts')
        .set({
          message: finding.message,
          detail: JSON.stringify(finding.detail),
          ...(due ? { last_notified_at: now, reminders: alert.reminders + 1 } : {}),
        })
        .where('id', '=', alert.id)
        .where('closed_at', 'is', null)
        .where('last_notified_at', '=', alert.last_notified_at);
      const result = await update.executeTakeFirst();
      if (!due || Number(result.numUpdatedRows) !== 1) return undefined;
      return this.notify(trx, alert, 'reminder', alert.reminders + 1, finding.message, now);
    });
  }

  /** Closes the alert with a recovery notification (once, even if two checkers see the recovery). */
  async resolve(alert: Alert, now: number): Promise<Notification | undefined> {
    return this.store.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('alerts')
        .set({ status: 'closed', closed_at: now })
        .where('id', '=', alert.id)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return this.notify(trx, alert, 'recovered', 0, alert.message, now);
    });
  }

  private async notify(
    trx: Transaction<Database>,
    alert: Pick<Alert, 'id' | 'stream' | 'kind' | 'opened_at'>,
    event: AlertEvent,
    seq: number,
    message: string,
    now: number,
  ): Promise<Notification> {
    const text = notificationText({
      event,
      stream: alert.stream,
      kind: alert.kind,
      message,
      openedAt: alert.opened_at,
      at: now,
    });
    await trx
      .insertInto('alert_notifications')
      .values({
        alert_id: alert.id,
        stream: alert.stream,
        kind: alert.kind,
        event,
        seq,
        message: text,
        created_at: now,
        status: this.delivery,
        attempts: 0,
        next_attempt_at: now,
        delivered_at: null,
        last_error: null,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    return { alertId: alert.id, stream: alert.stream, kind: alert.kind, event, text };
  }
}

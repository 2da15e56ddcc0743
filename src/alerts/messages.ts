import type { AlertEvent, AlertKind } from '../store/schema.js';
import { iso } from '../time.js';

/** "6h", "2d 3h", "45m": durations as a person reads them in an alert. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  const parts = [
    days ? `${days}d` : '',
    hours ? `${hours}h` : '',
    !days && minutes % 60 ? `${minutes % 60}m` : '',
  ];
  return parts.filter(Boolean).join(' ') || '0m';
}

const RECOVERED: Record<AlertKind, string> = {
  failing: 'collects successfully again',
  silent: 'yields items again',
  stopped: 'runs again',
};

export interface NotificationText {
  readonly event: AlertEvent;
  readonly stream: string;
  readonly kind: AlertKind;
  readonly message: string;
  readonly openedAt: number;
  readonly at: number;
}

/** The one line a person reads, in Slack, in the log, or in a JSON consumer's `text`. */
export function notificationText(note: NotificationText): string {
  switch (note.event) {
    case 'opened':
      return `evidence-worker: ${note.stream} is ${note.kind.toUpperCase()}: ${note.message}`;
    case 'reminder':
      return `evidence-worker: reminder, ${note.stream} is still ${note.kind.toUpperCase()} (since ${iso(note.openedAt)}, ${span(note.at - note.openedAt)}): ${note.message}`;
    case 'recovered':
      return `evidence-worker: RECOVERED, ${note.stream} ${RECOVERED[note.kind]} after ${span(note.at - note.openedAt)} ${note.kind} (since ${iso(note.openedAt)})`;
  }
}

/** The webhook body: Slack-compatible (`text` plus one mrkdwn block) or a plain JSON event. */
export function webhookBody(
  format: 'slack' | 'json',
  note: { alertId: string; stream: string; kind: AlertKind; event: AlertEvent; text: string; at: number },
): unknown {
  if (format === 'slack')
    return { text: note.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: note.text } }] };
  return {
    source: 'evidence-worker',
    event: `alert.${note.event}`,
    alert: { id: note.alertId, stream: note.stream, kind: note.kind },
    text: note.text,
    at: iso(note.at),
  };
}

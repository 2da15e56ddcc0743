import type { PlannedTicket } from '../tickets/plan.js';
import { accountId, displayName, emailOf } from '../tickets/people.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATE_TYPES: Record<string, string> = {
  Todo: 'unstarted',
  'In Progress': 'started',
  Approved: 'started',
  Done: 'completed',
};

const iso = (at: number) => new Date(at).toISOString();
const user = (login: string) => ({ id: accountId(login), name: displayName(login), email: emailOf(login) });
const state = (name: string) => ({ name, type: STATE_TYPES[name] ?? 'unstarted' });

export interface HistoryRecord {
  at: number;
  node: Record<string, unknown>;
}

/** Every history entry the issue ever gets, oldest first: a title edit (not a state change), then states. */
export function fullHistory(ticket: PlannedTicket): HistoryRecord[] {
  const records: HistoryRecord[] = [
    {
      at: ticket.createdAt + 20 * 60_000,
      node: {
        createdAt: iso(ticket.createdAt + 20 * 60_000),
        actor: user(ticket.reporter),
        fromState: null,
        toState: null,
      },
    },
    ...ticket.transitions.map((step) => ({
      at: step.at,
      node: {
        createdAt: iso(step.at),
        actor: user(step.by),
        fromState: state(step.from),
        toState: state(step.to),
      },
    })),
  ];
  if (ticket.relabelledAt !== null)
    records.push({
      at: ticket.relabelledAt,
      node: {
        createdAt: iso(ticket.relabelledAt),
        actor: user(ticket.reporter),
        fromState: null,
        toState: null,
      },
    });
  return records;
}

/** The issue as Linear shows it at `now`, with its whole history (the server pages it). */
export function issueAt(ticket: PlannedTicket, now: number, historyStart: number) {
  const history = fullHistory(ticket).filter((record) => record.at <= now);
  const steps = ticket.transitions.filter((step) => step.at <= now);
  const current = steps.at(-1)?.to ?? ticket.transitions[0]?.from ?? 'Todo';
  const relabelled = ticket.relabelledAt !== null && ticket.relabelledAt <= now;
  const attachedAt = ticket.mergedAt - 4 * HOUR;
  const updatedAt = Math.max(
    ticket.createdAt,
    ...history.map((record) => record.at),
    attachedAt <= now ? attachedAt : 0,
  );
  const cycle = Math.floor((ticket.mergedAt - historyStart) / (14 * DAY)) + 1;
  return {
    updatedAt,
    history,
    node: {
      id: `lin-${ticket.number}`,
      identifier: ticket.key,
      title: ticket.case === 'attachment_only' ? `Change request for ${ticket.repo}` : ticket.summary,
      url: `https://linear.example.test/acme/issue/${ticket.key}`,
      createdAt: iso(ticket.createdAt),
      updatedAt: iso(updatedAt),
      completedAt: ticket.doneAt <= now ? iso(ticket.doneAt) : null,
      canceledAt: null,
      team: { key: ticket.project.key, name: 'Engineering' },
      state: state(current),
      creator: user(ticket.reporter),
      assignee: user(ticket.assignee),
      project: { id: 'proj-platform', name: 'Platform' },
      cycle: { id: `cycle-${cycle}`, number: cycle, name: null },
      labels: relabelled ? ['audited', 'change'] : ['change'],
      attachments:
        attachedAt <= now
          ? [{ url: ticket.prUrl, title: `Pull request #${ticket.prNumber}`, sourceType: 'github' }]
          : [],
    },
  };
}

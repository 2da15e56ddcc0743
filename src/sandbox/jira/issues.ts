import type { PlannedTicket } from '../tickets/plan.js';
import { accountId, displayName, emailOf } from '../tickets/people.js';
import { jiraTime } from './site-time.js';

const MINUTE = 60_000;
const STATUS_IDS: Record<string, string> = {
  'To Do': '10000',
  'In Progress': '3',
  Approved: '10100',
  Done: '10001',
  Open: '1',
  'Waiting for approval': '10200',
  Implementing: '10201',
  Closed: '6',
};

/** The field where CHG records who approved the change (a user picker, as JSM's "Approvers" is). */
export const APPROVERS_FIELD = { field: 'Approvers', fieldId: 'customfield_10050' };

function user(login: string) {
  return {
    accountId: accountId(login),
    displayName: displayName(login),
    emailAddress: emailOf(login),
    active: true,
  };
}

export interface ChangelogRecord {
  id: string;
  at: number;
  author: string;
  items: {
    field: string;
    fieldtype: string;
    fieldId: string;
    from: string | null;
    fromString: string | null;
    to: string | null;
    toString: string | null;
  }[];
}

/** Every changelog entry the ticket will ever have, oldest first. */
export function fullChangelog(ticket: PlannedTicket): ChangelogRecord[] {
  const id = (n: number) => String(ticket.number * 100 + n + (ticket.project.key === 'OPS' ? 500_000 : 0));
  const records: ChangelogRecord[] = [
    {
      // Noise the stream must not keep: not a status, not an approval field.
      id: id(0),
      at: ticket.createdAt + 30 * MINUTE,
      author: ticket.reporter,
      items: [
        {
          field: 'priority',
          fieldtype: 'jira',
          fieldId: 'priority',
          from: '3',
          fromString: 'Medium',
          to: '2',
          toString: 'High',
        },
      ],
    },
  ];
  ticket.transitions.forEach((step, index) => {
    const items: ChangelogRecord['items'] = [
      {
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: STATUS_IDS[step.from] ?? null,
        fromString: step.from,
        to: STATUS_IDS[step.to] ?? null,
        toString: step.to,
      },
    ];
    if (index === 1 && ticket.project.type === 'software')
      items.push({
        ...APPROVERS_FIELD,
        fieldtype: 'custom',
        from: null,
        fromString: null,
        to: accountId(ticket.approver),
        toString: displayName(ticket.approver),
      });
    records.push({ id: id(index + 1), at: step.at, author: step.by, items });
  });
  if (ticket.relabelledAt !== null)
    records.push({
      id: id(9),
      at: ticket.relabelledAt,
      author: ticket.reporter,
      items: [
        {
          field: 'labels',
          fieldtype: 'jira',
          fieldId: 'labels',
          from: null,
          fromString: 'change',
          to: null,
          toString: 'audited change',
        },
      ],
    });
  return records;
}

/** The issue as Jira shows it at `now`: what happened later is not there yet. */
export function issueAt(ticket: PlannedTicket, now: number, previousKey: string | undefined) {
  const history = fullChangelog(ticket).filter((record) => record.at <= now);
  const steps = ticket.transitions.filter((step) => step.at <= now);
  const status = steps.at(-1)?.to ?? ticket.transitions[0]?.from ?? 'To Do';
  const done = ticket.doneAt <= now;
  const relabelled = ticket.relabelledAt !== null && ticket.relabelledAt <= now;
  const updated = Math.max(ticket.createdAt, ...history.map((record) => record.at));
  return {
    id: String(10_000 + ticket.number + (ticket.project.key === 'OPS' ? 500_000 : 0)),
    key: ticket.key,
    updatedAt: updated,
    fields: {
      summary: ticket.summary,
      issuetype: { name: ticket.project.type === 'service_desk' ? 'Change' : 'Task' },
      status: {
        name: status,
        statusCategory: { key: done ? 'done' : steps.length > 0 ? 'indeterminate' : 'new' },
      },
      resolution: done ? { name: 'Done' } : null,
      reporter: user(ticket.reporter),
      assignee: user(ticket.assignee),
      created: jiraTime(ticket.createdAt),
      updated: jiraTime(updated),
      resolutiondate: done ? jiraTime(ticket.doneAt) : null,
      fixVersions: [{ name: `release-${new Date(ticket.mergedAt).toISOString().slice(0, 7)}` }],
      labels: relabelled ? ['audited', 'change'] : ['change'],
      issuelinks:
        ticket.number % 5 === 0 && previousKey
          ? [
              {
                type: { name: 'Relates', inward: 'relates to', outward: 'relates to' },
                outwardIssue: { key: previousKey },
              },
            ]
          : [],
      project: { key: ticket.project.key, projectTypeKey: ticket.project.type },
    },
    history,
  };
}

export function renderUser(login: string) {
  return user(login);
}

/** The JSM approval of a service-desk request at `now`. */
export function approvalAt(ticket: PlannedTicket, now: number) {
  const requestedAt = ticket.transitions[0]?.at ?? ticket.createdAt;
  if (requestedAt > now) return [];
  const decided = ticket.approvedAt <= now;
  const date = (at: number) => ({
    iso8601: jiraTime(at),
    jira: jiraTime(at),
    friendly: jiraTime(at),
    epochMillis: at,
  });
  return [
    {
      id: String(ticket.number),
      name: 'Change manager approval',
      finalDecision: decided ? 'approved' : 'pending',
      canAnswerApproval: false,
      approvers: [{ approver: user(ticket.approver), approverDecision: decided ? 'approved' : 'pending' }],
      createdDate: date(requestedAt),
      ...(decided ? { completedDate: date(ticket.approvedAt) } : {}),
    },
  ];
}

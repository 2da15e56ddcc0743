import { z } from 'zod';

/** A ticket of either system as the checks see it: its status over time, its approvals, its links. */
export interface TicketView {
  readonly stream: string;
  readonly key: string;
  /** Jira project key or Linear team key. */
  readonly project: string;
  /** The status it was created in, then every change, oldest first. */
  readonly initialStatus: string | null;
  readonly statusChanges: readonly { readonly at: number; readonly to: string | null }[];
  readonly currentStatus: string;
  /** Approvals recorded outside the status: approval-field changes and JSM approvals, with their time. */
  readonly approvals: readonly { readonly at: number; readonly kind: 'field' | 'service_desk' }[];
  /** Resolved (Jira) or completed/canceled (Linear). */
  readonly closedAt: number | null;
  readonly labels: readonly string[];
  /** Pull requests the ticket links itself (Linear attachments). */
  readonly pullRequestUrls: readonly string[];
  /** The stored version's item time (its last update as collected): its history is known up to then. */
  readonly updatedAt: number;
}

const at = (text: string | null | undefined) => (text ? Date.parse(text) : Number.NaN);

export const jiraTicketFactSchema = z.looseObject({
  key: z.string(),
  project: z.looseObject({ key: z.string() }),
  status: z.string(),
  resolved: z.string().nullish(),
  labels: z.array(z.string()).nullish(),
  transitions: z
    .array(z.looseObject({ at: z.string(), from: z.string().nullish(), to: z.string().nullish() }))
    .nullish(),
  approvalFieldChanges: z.array(z.looseObject({ at: z.string(), to: z.string().nullish() })).nullish(),
  approvals: z.array(z.looseObject({ decision: z.string(), completedAt: z.string().nullish() })).nullish(),
});

export const linearTicketFactSchema = z.looseObject({
  identifier: z.string(),
  team: z.string(),
  state: z.looseObject({ name: z.string() }),
  completedAt: z.string().nullish(),
  canceledAt: z.string().nullish(),
  labels: z.array(z.string()).nullish(),
  stateHistory: z
    .array(
      z.looseObject({
        at: z.string(),
        from: z.looseObject({ name: z.string() }).nullish(),
        to: z.looseObject({ name: z.string() }).nullish(),
      }),
    )
    .nullish(),
  pullRequests: z.array(z.looseObject({ url: z.string() })).nullish(),
});

export function jiraTicketView(
  stream: string,
  fact: z.infer<typeof jiraTicketFactSchema>,
  updatedAt: number,
): TicketView {
  const transitions = [...(fact.transitions ?? [])].sort((a, b) => at(a.at) - at(b.at));
  const closed = at(fact.resolved);
  return {
    stream,
    key: fact.key,
    project: fact.project.key,
    initialStatus: transitions[0]?.from ?? null,
    statusChanges: transitions.map((step) => ({ at: at(step.at), to: step.to ?? null })),
    currentStatus: fact.status,
    approvals: [
      ...(fact.approvalFieldChanges ?? [])
        .filter((change) => (change.to ?? '').trim() !== '')
        .map((change) => ({ at: at(change.at), kind: 'field' as const })),
      ...(fact.approvals ?? [])
        .filter((approval) => approval.decision === 'approved' && approval.completedAt)
        .map((approval) => ({ at: at(approval.completedAt), kind: 'service_desk' as const })),
    ].filter((approval) => Number.isFinite(approval.at)),
    closedAt: Number.isFinite(closed) ? closed : null,
    labels: fact.labels ?? [],
    pullRequestUrls: [],
    updatedAt,
  };
}

export function linearTicketView(
  stream: string,
  fact: z.infer<typeof linearTicketFactSchema>,
  updatedAt: number,
): TicketView {
  const history = [...(fact.stateHistory ?? [])].sort((a, b) => at(a.at) - at(b.at));
  const closed = [at(fact.completedAt), at(fact.canceledAt)].filter(Number.isFinite);
  return {
    stream,
    key: fact.identifier,
    project: fact.team,
    initialStatus: history[0]?.from?.name ?? null,
    statusChanges: history.map((step) => ({ at: at(step.at), to: step.to?.name ?? null })),
    currentStatus: fact.state.name,
    approvals: [],
    closedAt: closed.length > 0 ? Math.min(...closed) : null,
    labels: fact.labels ?? [],
    pullRequestUrls: (fact.pullRequests ?? []).map((pr) => pr.url),
    updatedAt,
  };
}

/** The ticket's status at an instant: the last change up to then, else the status it was created in. */
export function statusAt(ticket: TicketView, instant: number): string | null {
  let status = ticket.initialStatus ?? (ticket.statusChanges.length === 0 ? ticket.currentStatus : null);
  for (const change of ticket.statusChanges) {
    if (change.at > instant) break;
    status = change.to;
  }
  return status;
}

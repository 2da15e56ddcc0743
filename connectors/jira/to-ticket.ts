import type { JiraConfig } from './config.js';
import type { ChangelogEntry, JiraIssue, JsmApproval } from './responses.js';
import type { JiraTicket } from './ticket-payload.js';
import { isoOf } from './window-jql.js';

type RawPerson = { accountId?: string | null; displayName?: string | null; emailAddress?: string | null };

function person(raw: RawPerson | null | undefined): JiraTicket['reporter'] {
  if (!raw) return null;
  return { accountId: raw.accountId ?? null, name: raw.displayName ?? null, email: raw.emailAddress ?? null };
}

function required(text: string, what: string): string {
  const iso = isoOf(text);
  if (iso === null) throw new Error(`${what} "${text}" is not a date`);
  return iso;
}

/** Builds the stored payload from the issue, its whole changelog and its JSM approvals (null: none read). */
export function toTicket(
  issue: JiraIssue,
  changelog: readonly ChangelogEntry[],
  approvals: readonly JsmApproval[] | null,
  config: Pick<JiraConfig, 'approvalFields'>,
): JiraTicket {
  const f = issue.fields;
  const approvalFields = new Set(config.approvalFields);
  const transitions: JiraTicket['transitions'] = [];
  const approvalFieldChanges: JiraTicket['approvalFieldChanges'] = [];
  const ordered = [...changelog].sort(
    (a, b) =>
      Date.parse(isoOf(a.created) ?? '') - Date.parse(isoOf(b.created) ?? '') || a.id.localeCompare(b.id),
  );
  for (const entry of ordered) {
    const at = required(entry.created, `changelog ${entry.id} created`);
    for (const item of entry.items) {
      if (item.field === 'status' || item.fieldId === 'status')
        transitions.push({
          at,
          by: person(entry.author),
          from: item.fromString ?? null,
          to: item.toString ?? null,
        });
      else if (approvalFields.has(item.field) || (item.fieldId && approvalFields.has(item.fieldId)))
        approvalFieldChanges.push({
          at,
          by: person(entry.author),
          field: item.field,
          from: item.fromString ?? item.from ?? null,
          to: item.toString ?? item.to ?? null,
        });
    }
  }
  const links: JiraTicket['links'] = (f.issuelinks ?? []).flatMap((link) => [
    ...(link.outwardIssue
      ? [
          {
            type: link.type.outward ?? link.type.name,
            direction: 'outward' as const,
            key: link.outwardIssue.key,
          },
        ]
      : []),
    ...(link.inwardIssue
      ? [
          {
            type: link.type.inward ?? link.type.name,
            direction: 'inward' as const,
            key: link.inwardIssue.key,
          },
        ]
      : []),
  ]);
  return {
    key: issue.key,
    id: issue.id,
    project: { key: f.project.key, type: f.project.projectTypeKey ?? null },
    type: f.issuetype?.name ?? null,
    summary: f.summary ?? '',
    status: f.status.name,
    statusCategory: f.status.statusCategory?.key ?? null,
    resolution: f.resolution?.name ?? null,
    reporter: person(f.reporter),
    assignee: person(f.assignee),
    created: required(f.created, 'created'),
    updated: required(f.updated, 'updated'),
    resolved: isoOf(f.resolutiondate),
    fixVersions: (f.fixVersions ?? []).map((version) => version.name),
    labels: [...(f.labels ?? [])],
    links,
    transitions,
    approvalFieldChanges,
    approvals:
      approvals === null
        ? null
        : approvals.map((approval) => ({
            id: approval.id,
            name: approval.name ?? null,
            decision: approval.finalDecision,
            approvers: (approval.approvers ?? []).map((entry) => ({
              approver: person(entry.approver),
              decision: entry.approverDecision ?? null,
            })),
            createdAt: approval.createdDate?.epochMillis
              ? new Date(approval.createdDate.epochMillis).toISOString()
              : isoOf(approval.createdDate?.iso8601),
            completedAt: approval.completedDate?.epochMillis
              ? new Date(approval.completedDate.epochMillis).toISOString()
              : isoOf(approval.completedDate?.iso8601),
          })),
  };
}

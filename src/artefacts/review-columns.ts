/**
 * The columns of the quarterly access review workbook, shared by the writer (`access-review`) and the
 * reader (`artefacts add --type access-review`) so the round trip cannot drift.
 */
export const REVIEW_SHEET = 'Access Review';

export const REVIEW_COLUMNS = {
  system: 'System',
  account: 'Account',
  person: 'Person',
  linkedBy: 'Linked By',
  status: 'Status',
  role: 'Role and Permissions',
  mfa: 'MFA',
  lastActivity: 'Last Activity',
  findings: 'Open Findings',
  decision: 'Decision',
  reviewer: 'Reviewer',
  reviewedOn: 'Review Date',
  comment: 'Comment',
} as const;

export type ReviewColumn = keyof typeof REVIEW_COLUMNS;

/** In workbook order; the reviewer fills the last four. */
export const REVIEW_HEADERS: readonly string[] = Object.values(REVIEW_COLUMNS);

export const REVIEW_DECISIONS = ['keep', 'revoke'] as const;

/** What the person column says for an account that links to no person. */
export const UNLINKED = 'unlinked';

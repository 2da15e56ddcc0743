import { z } from 'zod';
import { durationSchema } from '../../src/time.js';

const pattern = z.string().refine((text) => {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}, 'expected a regular expression');

/** Which changes need no ticket: the change types the company's change policy exempts. */
export const exemptionSchema = z
  .object({
    /** Pull-request authors (or commit authors of direct pushes): dependency bots by default. */
    authors: z.array(z.string().min(1)).default(['dependabot[bot]', 'renovate[bot]']),
    /** Pull-request labels. */
    labels: z.array(z.string().min(1)).default(['chore']),
    /** Patterns on the pull-request title (e.g. "^chore(\\(.*\\))?:"). */
    titlePatterns: z.array(pattern).default([]),
  })
  .strict();

/** The linkage part of both ticket checks' policies: how a change names its ticket, and what is exempt. */
export const linkagePolicyShape = {
  /** How a ticket key looks, Jira's and Linear's alike: PROJECT-123. */
  keyPattern: pattern.default('[A-Z][A-Z0-9]+-\\d+'),
  /** Keys that look like tickets and are not (character sets, standards, advisories). */
  ignoreKeys: z
    .array(pattern)
    .default(['^UTF-\\d+$', '^ISO-\\d+$', '^SHA-\\d+$', '^CVE-\\d+$', '^RFC-\\d+$']),
  /**
   * The projects (Jira) and teams (Linear) of the change process. Unset: those of the collected tickets.
   * A key of any other project links to nothing.
   */
  projects: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected a project or team key')).optional(),
  /**
   * How far around the period tickets are read: a ticket's item time is its last update, which may lie
   * well before or after the merge it approved. Until the ticket streams are collected over it (as far as
   * the production changes are), a change without its ticket is `ticket_evidence_not_collected`.
   */
  ticketWindow: durationSchema.prefault('365d'),
  exempt: exemptionSchema.prefault({}),
  /** Per repository (`owner/name`): exempt it whole, or add exemptions of its own. */
  repositories: z
    .record(
      z.string(),
      z
        .object({
          exempt: z.boolean().default(false),
          authors: z.array(z.string().min(1)).default([]),
          labels: z.array(z.string().min(1)).default([]),
          titlePatterns: z.array(pattern).default([]),
        })
        .strict(),
    )
    .default({}),
};

export const linkagePolicySchema = z.object(linkagePolicyShape).strict();
export type LinkagePolicy = z.infer<typeof linkagePolicySchema>;

/** What counts as approval of a change ticket. */
export const approvalPolicyShape = {
  /** Statuses (Jira) and states (Linear) that mean the change was approved (passing through one counts). */
  approvedStatuses: z.array(z.string().min(1)).default(['Approved']),
  /** A change of a Jira approval field to a value counts as approval at that time. */
  approvalFields: z.boolean().default(true),
  /** An approved Jira Service Management approval counts, at its completion time. */
  serviceDeskApprovals: z.boolean().default(true),
  /** Also give `ticket_closed_before_change` when the ticket was closed before the change merged. */
  closedBeforeChange: z.boolean().default(false),
};

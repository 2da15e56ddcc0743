import { z } from 'zod';

/** What the diff compares from one day to the next. */
export const comparedGoogleUser = z.object({
  primaryEmail: z.string(),
  suspended: z.boolean(),
  archived: z.boolean(),
  orgUnitPath: z.string().nullable(),
  department: z.string().nullable(),
  manager: z.string().nullable(),
  isAdmin: z.boolean(),
  isDelegatedAdmin: z.boolean(),
});
export type ComparedGoogleUser = z.infer<typeof comparedGoogleUser>;

export const googleUserObservation = comparedGoogleUser.extend({
  type: z.literal('observation'),
  id: z.string(),
  name: z.string().nullable(),
  aliases: z.array(z.string()),
  employeeId: z.string().nullable(),
  title: z.string().nullable(),
  creationTime: z.string().nullable(),
  lastLoginTime: z.string().nullable(),
  isEnrolledIn2Sv: z.boolean(),
  isEnforcedIn2Sv: z.boolean(),
});

export const googleUserChange = z.object({
  type: z.literal('change'),
  id: z.string(),
  primaryEmail: z.string(),
  change: z.enum([
    'joined',
    'left',
    'returned',
    'deleted',
    'archived_changed',
    'email_changed',
    'org_unit_changed',
    'department_changed',
    'manager_changed',
    'admin_changed',
  ]),
  since: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  description: z.string(),
});

/** The directory was read and listed no user. */
export const googleUsersEmpty = z.object({ type: z.literal('empty'), description: z.string() });

export const googleUserPayload = z.discriminatedUnion('type', [
  googleUserObservation,
  googleUserChange,
  googleUsersEmpty,
]);
export type GoogleUserPayload = z.infer<typeof googleUserPayload>;
export type GoogleUserChange = z.infer<typeof googleUserChange>;

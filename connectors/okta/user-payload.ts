import { z } from 'zod';

/** Okta user statuses as the Users API reports them. */
export const oktaStatus = z.enum([
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
]);

/** What the diff compares from one day to the next. */
export const comparedUserSchema = z.object({
  login: z.string(),
  status: z.string(),
  department: z.string().nullable(),
  manager: z.string().nullable(),
  adminRoles: z.array(z.string()),
});
export type ComparedUser = z.infer<typeof comparedUserSchema>;

export const oktaUserObservation = comparedUserSchema.extend({
  type: z.literal('observation'),
  id: z.string(),
  email: z.string().nullable(),
  employeeNumber: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  created: z.string(),
  activated: z.string().nullable(),
  statusChanged: z.string().nullable(),
  lastLogin: z.string().nullable(),
  factors: z.array(z.object({ type: z.string(), provider: z.string(), status: z.string() })),
});

export const oktaUserChangeKinds = z.enum([
  'joined',
  'left',
  'deleted',
  'status_changed',
  'department_changed',
  'manager_changed',
  'admin_roles_changed',
]);

export const oktaUserChange = z.object({
  type: z.literal('change'),
  id: z.string(),
  login: z.string(),
  change: oktaUserChangeKinds,
  /** The day of the observation compared against. */
  since: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  description: z.string(),
});

/** The org was read and listed no user, active or deactivated. */
export const oktaUsersEmpty = z.object({ type: z.literal('empty'), description: z.string() });

export const oktaUserPayload = z.discriminatedUnion('type', [
  oktaUserObservation,
  oktaUserChange,
  oktaUsersEmpty,
]);
export type OktaUserPayload = z.infer<typeof oktaUserPayload>;
export type OktaUserChange = z.infer<typeof oktaUserChange>;

import { z } from 'zod';
import type { AccountRecord } from './account.js';

const strings = z.array(z.string()).optional();
const rolePayload = z.looseObject({
  role: z.string().optional(),
  adminRoles: strings,
  attachedPolicies: strings,
  effectivePolicies: strings,
  groups: strings,
  assignments: strings,
});

/** Role and permissions as the account's own observation states them, for a reviewer to read. */
export function describeRoles(payload: unknown, record: AccountRecord): string {
  const parsed = rolePayload.safeParse(payload);
  const p = parsed.success ? parsed.data : {};
  const parts = [
    p.role ? `role ${p.role}` : '',
    p.adminRoles?.length ? `admin roles: ${p.adminRoles.join(', ')}` : '',
    p.groups?.length ? `groups: ${p.groups.join(', ')}` : '',
    p.attachedPolicies?.length ? `policies: ${p.attachedPolicies.join(', ')}` : '',
    p.effectivePolicies?.length ? `effective policies: ${p.effectivePolicies.join(', ')}` : '',
    p.assignments?.length ? `assignments: ${p.assignments.join(', ')}` : '',
  ].filter(Boolean);
  if (parts.length === 0) parts.push(record.privileged ? 'privileged' : 'no privileged role recorded');
  else if (record.privileged) parts.unshift('privileged');
  return parts.join('; ');
}

import { createHash } from 'node:crypto';
import { DAY, HOUR } from '../../time.js';
import type { Company } from '../company/index.js';

/** One Reports API activity (applicationName=admin) with a single event. */
export interface AdminActivity {
  kind: 'admin#reports#activity';
  id: { time: string; uniqueQualifier: string; applicationName: 'admin'; customerId: string };
  etag: string;
  actor: { callerType: string; email: string; profileId: string };
  ipAddress: string;
  events: { type: string; name: string; parameters: { name: string; value: string }[] }[];
}

/**
 * The admin audit log of the company over its period, newest first as the Reports API lists it: the
 * admin's changes to users, groups and privileges (the ground truth), and application settings changes
 * the connector must leave out.
 */
export function buildAdminLog(company: Company, adminEmail: string): AdminActivity[] {
  const activities: AdminActivity[] = [];
  const add = (at: number, type: string, name: string, parameters: Record<string, string>) => {
    const uniqueQualifier = BigInt(
      `0x${createHash('sha1')
        .update(`${at}|${name}|${JSON.stringify(parameters)}`)
        .digest('hex')
        .slice(0, 15)}`,
    ).toString();
    activities.push({
      kind: 'admin#reports#activity',
      id: {
        time: new Date(at).toISOString(),
        uniqueQualifier,
        applicationName: 'admin',
        customerId: 'C0sandbox',
      },
      etag: `"${uniqueQualifier}"`,
      actor: { callerType: 'USER', email: adminEmail, profileId: '100000000000000000001' },
      ipAddress: '203.0.113.20',
      events: [
        { type, name, parameters: Object.entries(parameters).map(([key, value]) => ({ name: key, value })) },
      ],
    });
  };
  const group = (department: string) => `${department.toLowerCase()}@${company.domain}`;
  for (const event of company.events) {
    const person = company.byId(event.employeeId);
    const user = { USER_EMAIL: person.googleEmail };
    const t = event.at + 10 * 60_000;
    if (event.kind === 'joiner') {
      add(t, 'USER_SETTINGS', 'CREATE_USER', user);
      add(t + 60_000, 'GROUP_SETTINGS', 'ADD_GROUP_MEMBER', {
        ...user,
        GROUP_EMAIL: group(person.department),
      });
    } else if (event.kind === 'leaver') {
      add(t, 'USER_SETTINGS', 'SUSPEND_USER', user);
      const department = company.stateAt(event.at).find((s) => s.person === person)!.department;
      add(t + 60_000, 'GROUP_SETTINGS', 'REMOVE_GROUP_MEMBER', { ...user, GROUP_EMAIL: group(department) });
    } else if (event.field === 'department') {
      add(t, 'USER_SETTINGS', 'CHANGE_USER_ORGANIZATION', user);
      add(t + 60_000, 'GROUP_SETTINGS', 'REMOVE_GROUP_MEMBER', { ...user, GROUP_EMAIL: group(event.from!) });
      add(t + 120_000, 'GROUP_SETTINGS', 'ADD_GROUP_MEMBER', { ...user, GROUP_EMAIL: group(event.to!) });
    } else if (event.field === 'manager') {
      add(t, 'USER_SETTINGS', 'CHANGE_USER_RELATION', user);
    } else {
      add(t, 'USER_SETTINGS', event.to === 'true' ? 'GRANT_ADMIN_PRIVILEGE' : 'REVOKE_ADMIN_PRIVILEGE', user);
    }
  }
  // Noise: application settings changed once a week.
  for (let day = company.period.start + 3 * DAY; day < company.period.end; day += 7 * DAY)
    add(day + 16 * HOUR, 'APPLICATION_SETTINGS', 'CHANGE_APPLICATION_SETTING', {
      APPLICATION_NAME: 'Drive and Docs',
    });
  return activities.sort(
    (a, b) => b.id.time.localeCompare(a.id.time) || b.id.uniqueQualifier.localeCompare(a.id.uniqueQualifier),
  );
}

import {
  accessEndsAt,
  accessStartsAt,
  FORGOTTEN_IAM_LEAVER,
  hasMfaIn,
  type Company,
  type Person,
} from '../company/index.js';
import type { SandboxRecord, SandboxUser } from './iam-model.js';
import { newUser } from './iam-model.js';
import { centreUserId, SANDBOX_IDENTITY_STORE } from './identity-center-api.js';

/** An IAM user that belongs to no person and carries no email tag (planted for the orphan check). */
export const ORPHAN_IAM_USER = 'backup-legacy';

const DAY = 86_400_000;
const GROUP_OF: Record<string, string> = { alice: 'admins', dave: 'readonly', grace: 'readonly' };

export const groupOf = (user: string) => GROUP_OF[user] ?? 'developers';
export const accessKeyOf = (user: string) => `AKIA${user.toUpperCase().padEnd(16, '0')}`.slice(0, 20);

// Carol signs in without MFA (the planted console login without MFA).
const hasMfa = (company: Company, person: Person) => hasMfaIn(company, person, 'AWS IAM') === true;

/** The company's IAM users present before `start`, each tagged with the person's work email. */
export function initialPeopleUsers(company: Company, start: number, emailTag: string): SandboxUser[] {
  const users: SandboxUser[] = [];
  for (const person of company.people) {
    if (person.iamUser === null || accessStartsAt(person, 'AWS IAM') >= start) continue;
    const user = newUser(person.iamUser, start - 400 * DAY);
    user.groups.add(groupOf(person.iamUser));
    user.passwordSetAt = start - 300 * DAY;
    user.mfa = hasMfa(company, person);
    user.tags.set(emailTag, person.email);
    // Frank's key is the access that survives him: he is never removed from IAM.
    if (person.iamUser === FORGOTTEN_IAM_LEAVER)
      user.keys.push({
        id: accessKeyOf(person.iamUser),
        createdAt: start - 150 * DAY,
        active: true,
        lastUsed: null,
      });
    users.push(user);
  }
  const orphan = newUser(ORPHAN_IAM_USER, start - 500 * DAY);
  orphan.groups.add('developers');
  orphan.keys.push({
    id: accessKeyOf(ORPHAN_IAM_USER),
    createdAt: start - 500 * DAY,
    active: true,
    lastUsed: null,
  });
  users.push(orphan);
  return users;
}

type IamWrite = (at: number, name: string, params: Record<string, unknown>) => SandboxRecord;

/**
 * The IAM side of the company's joiners and leavers: a user (tagged with the work email) created on the
 * start day, removed when the company's lifecycle says (one leaver never). Returns the joiners and leavers
 * as the ground truth lists them.
 */
export function plantPeopleLifecycle(
  company: Company,
  period: { start: number; end: number },
  account: string,
  emailTag: string,
  iamWrite: IamWrite,
) {
  const joiners: { user: string; at: number; eventId: string }[] = [];
  const leavers: { user: string; at: number; eventId: string }[] = [];
  const inPeriod = (at: number | null): at is number => at !== null && at >= period.start && at < period.end;
  for (const person of company.people) {
    const name = person.iamUser;
    if (name === null) continue;
    const mfaSerial = `arn:aws:iam::${account}:mfa/${name}`;
    const joins = accessStartsAt(person, 'AWS IAM');
    if (inPeriod(joins)) {
      const created = iamWrite(joins, 'CreateUser', {
        userName: name,
        tags: [{ key: emailTag, value: person.email }],
      });
      joiners.push({ user: name, at: joins, eventId: created.eventID });
      iamWrite(joins + 60_000, 'CreateLoginProfile', { userName: name, passwordResetRequired: true });
      iamWrite(joins + 120_000, 'AddUserToGroup', { userName: name, groupName: groupOf(name) });
      if (hasMfa(company, person))
        iamWrite(joins + 180_000, 'EnableMFADevice', { userName: name, serialNumber: mfaSerial });
    }
    const leaves = accessEndsAt(company, person, 'AWS IAM');
    // The user is deleted at the moment the lifecycle names; group, MFA and password go just before.
    if (inPeriod(leaves)) {
      iamWrite(leaves - 180_000, 'RemoveUserFromGroup', { userName: name, groupName: groupOf(name) });
      if (hasMfa(company, person))
        iamWrite(leaves - 120_000, 'DeactivateMFADevice', { userName: name, serialNumber: mfaSerial });
      iamWrite(leaves - 60_000, 'DeleteLoginProfile', { userName: name });
      const deleted = iamWrite(leaves, 'DeleteUser', { userName: name });
      leavers.push({ user: name, at: leaves, eventId: deleted.eventID });
    }
  }
  return { joiners, leavers };
}

type StoreWrite = (
  at: number,
  name: string,
  params: Record<string, unknown>,
  response: Record<string, unknown> | null,
) => void;

/**
 * The Identity Store side of the same joiners and leavers, as CloudTrail records it: CreateUser (the user
 * name hidden, the new user id in the response) and DeleteUser (only the user id), at the moments the
 * company's lifecycle names for Identity Center.
 */
export function plantIdentityStoreLifecycle(
  company: Company,
  period: { start: number; end: number },
  write: StoreWrite,
): void {
  const inPeriod = (at: number | null): at is number => at !== null && at >= period.start && at < period.end;
  const store = { identityStoreId: SANDBOX_IDENTITY_STORE };
  for (const person of company.people) {
    if (person.iamUser === null) continue;
    const userId = centreUserId(person.email);
    const joins = accessStartsAt(person, 'AWS IAM Identity Center');
    if (inPeriod(joins))
      write(
        joins,
        'CreateUser',
        { ...store, userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        { ...store, userId },
      );
    const leaves = accessEndsAt(company, person, 'AWS IAM Identity Center');
    if (inPeriod(leaves)) write(leaves, 'DeleteUser', { ...store, userId }, null);
  }
}

import { z } from 'zod';
import { readSnapshotCursor, snapshotBaseline, nextSnapshotCursor } from '../../src/snapshot-cursor.js';
import { emptySnapshotItem } from '../../src/empty-snapshot.js';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { OktaClient } from './client.js';
import type { OktaConfig } from './config.js';
import { userChanges } from './user-diff.js';
import {
  comparedUserSchema,
  oktaUserPayload,
  type ComparedUser,
  type OktaUserPayload,
} from './user-payload.js';
import { oktaStreams } from './manifest.js';

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const apiUser = z.object({
  id: z.string(),
  status: z.string(),
  created: z.string(),
  activated: text,
  statusChanged: text,
  lastLogin: text,
  profile: z
    .object({
      login: z.string(),
      email: text,
      firstName: text,
      lastName: text,
      employeeNumber: text,
      department: text,
      manager: text,
      managerId: text,
    })
    .loose(),
});
const apiFactors = z.array(
  z.object({ factorType: z.string(), provider: z.string(), status: z.string() }).loose(),
);
const apiRoles = z.array(z.object({ type: z.string(), status: z.string().optional() }).loose());
const stateSchema = z.record(z.string(), comparedUserSchema);

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

async function readUsers(client: OktaClient) {
  const users: z.infer<typeof apiUser>[] = [];
  const limit = Math.min(client.config.pageSize, 200);
  // The plain list leaves out deactivated users; they are asked for on their own so leavers stay visible.
  for await (const page of client.pages('/api/v1/users', { limit }, z.array(apiUser), 'list Okta users'))
    users.push(...page);
  for await (const page of client.pages(
    '/api/v1/users',
    { limit, filter: 'status eq "DEPROVISIONED"' },
    z.array(apiUser),
    'list deactivated Okta users',
  ))
    users.push(...page);
  return users.sort((a, b) => a.profile.login.localeCompare(b.profile.login) || a.id.localeCompare(b.id));
}

export const oktaUsers = defineStream<OktaClient, OktaUserPayload, OktaConfig>({
  ...oktaStreams['okta-users'],
  windowsInOrder: true,
  retention: () => ({
    kind: 'snapshot',
    reason: 'Okta shows only the current users; past days cannot be read',
  }),
  itemSchema: oktaUserPayload,
  populationColumns: [
    { header: 'Date (UTC)', value: ({ occurredAt }) => day(occurredAt) },
    { header: 'Record', value: ({ payload }) => payload.type },
    { header: 'Login', value: ({ payload }) => (payload.type === 'empty' ? '' : payload.login) },
    { header: 'Status', value: ({ payload }) => (payload.type === 'observation' ? payload.status : '') },
    {
      header: 'Employee number',
      value: ({ payload }) => (payload.type === 'observation' ? payload.employeeNumber : ''),
    },
    {
      header: 'Department',
      value: ({ payload }) => (payload.type === 'observation' ? payload.department : ''),
    },
    {
      header: 'MFA factors',
      value: ({ payload }) =>
        payload.type === 'observation'
          ? payload.factors
              .filter((f) => f.status === 'ACTIVE')
              .map((f) => `${f.provider}:${f.type}`)
              .join('; ')
          : '',
    },
    {
      header: 'Admin roles',
      value: ({ payload }) => (payload.type === 'observation' ? payload.adminRoles.join('; ') : ''),
    },
    {
      header: 'Last login',
      value: ({ payload }) => (payload.type === 'observation' ? payload.lastLogin : ''),
    },
    {
      header: 'Change',
      value: ({ payload }) => (payload.type === 'observation' ? '' : payload.description),
    },
  ],
  async *collect(window, cursor, ctx) {
    const today = day(window.start);
    const kept = readSnapshotCursor(cursor, stateSchema);
    const state: Record<string, ComparedUser> = {};
    const users = await readUsers(ctx.client);
    if (users.length === 0)
      yield emptySnapshotItem(today, window.start, {
        type: 'empty',
        description: 'Okta read: no users, active or deactivated',
      } satisfies OktaUserPayload);
    for (const user of users) {
      const what = `user ${user.profile.login}`;
      const factors = ctx.client.config.factors
        ? (
            await ctx.client.get(
              `/api/v1/users/${user.id}/factors`,
              {},
              apiFactors,
              `list factors of ${what}`,
            )
          ).data
        : [];
      const roles = ctx.client.config.roles
        ? (
            await ctx.client.get(
              `/api/v1/users/${user.id}/roles`,
              {},
              apiRoles,
              `list admin roles of ${what}`,
            )
          ).data
        : [];
      const compared: ComparedUser = {
        login: user.profile.login,
        status: user.status,
        department: user.profile.department,
        manager: user.profile.managerId ?? user.profile.manager,
        adminRoles: [...new Set(roles.filter((r) => r.status !== 'INACTIVE').map((r) => r.type))].sort(),
      };
      state[user.id] = compared;
      yield {
        key: `${today}/${user.id}`,
        occurredAt: window.start,
        payload: {
          type: 'observation',
          id: user.id,
          ...compared,
          email: user.profile.email,
          employeeNumber: user.profile.employeeNumber,
          firstName: user.profile.firstName,
          lastName: user.profile.lastName,
          created: user.created,
          activated: user.activated,
          statusChanged: user.statusChanged,
          lastLogin: user.lastLogin,
          factors: factors
            .map((f) => ({ type: f.factorType, provider: f.provider, status: f.status }))
            .sort((a, b) => `${a.provider}:${a.type}`.localeCompare(`${b.provider}:${b.type}`)),
        },
      } satisfies CollectedItem<OktaUserPayload>;
    }
    const baseline = snapshotBaseline(kept, today);
    if (baseline) {
      const ids = [...new Set([...Object.keys(baseline.state), ...Object.keys(state)])].sort();
      for (const id of ids)
        for (const change of userChanges(baseline.state[id], state[id]))
          yield {
            key: `${today}/${id}/${change.change}`,
            occurredAt: window.start,
            payload: {
              type: 'change',
              id,
              login: (state[id] ?? baseline.state[id])!.login,
              since: baseline.day,
              ...change,
            },
          };
    }
    return { ...nextSnapshotCursor(kept, today, state) };
  },
});

import { z } from 'zod';
import { emptySnapshotItem } from '../../../src/empty-snapshot.js';
import { defineStream, type CollectedItem, type Cursor } from '../../../src/stream.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { diffIdentityCenter } from '../identity-center-diff.js';
import { readIdentityCenter, type IdentityCenterState } from '../identity-center-snapshot.js';
import { dayOf, snapshotRetention } from '../stream-common.js';
import { awsStreams } from '../manifest.js';

const base = { account: z.string(), day: z.string() };

export const identityCenterItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    ...base,
    userName: z.string(),
    /** Absent in facts collected before it was recorded. */
    userId: z.string().nullable().optional(),
    displayName: z.string().nullable(),
    emails: z.array(z.string()),
    groups: z.array(z.string()),
    assignments: z.array(z.string()),
  }),
  z.object({ kind: z.literal('group'), ...base, name: z.string(), members: z.array(z.string()) }),
  z.object({
    kind: z.literal('permission-set'),
    ...base,
    name: z.string(),
    sessionDuration: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('assignment'),
    ...base,
    accountId: z.string(),
    permissionSet: z.string(),
    principalType: z.string(),
    principal: z.string(),
  }),
  z.object({
    kind: z.literal('change'),
    ...base,
    since: z.string(),
    change: z.string(),
    subject: z.string(),
    description: z.string(),
  }),
  /** The account's Identity Center was read and held no user, group, permission set or assignment. */
  z.object({ kind: z.literal('empty'), ...base, description: z.string() }),
]);
export type IdentityCenterItem = z.infer<typeof identityCenterItemSchema>;

interface Observation {
  day: string;
  state: IdentityCenterState;
}
type CentreCursor = Record<string, { latest: Observation; previous?: Observation }>;

function baselineFor(cursor: CentreCursor, account: string, day: string): Observation | undefined {
  const kept = cursor[account];
  if (!kept) return undefined;
  if (kept.latest.day < day) return kept.latest;
  return kept.previous && kept.previous.day < day ? kept.previous : undefined;
}

export const identityCenterStateStream = defineStream<AwsClient, IdentityCenterItem, AwsConfig>({
  ...awsStreams['aws-identity-center-state'],
  windowsInOrder: true,
  retention: () => snapshotRetention,
  itemSchema: identityCenterItemSchema,
  populationColumns: [
    { header: 'Day', value: (item) => item.payload.day },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Kind', value: (item) => item.payload.kind },
    {
      header: 'Subject',
      value: ({ payload: p }) =>
        p.kind === 'user'
          ? p.userName
          : p.kind === 'assignment'
            ? `${p.accountId}/${p.permissionSet}/${p.principalType}/${p.principal}`
            : p.kind === 'change'
              ? p.subject
              : p.kind === 'empty'
                ? null
                : p.name,
    },
    { header: 'Emails', value: ({ payload: p }) => (p.kind === 'user' ? p.emails.join('; ') : null) },
    {
      header: 'Change',
      value: ({ payload: p }) => (p.kind === 'change' || p.kind === 'empty' ? p.description : null),
    },
  ],
  async *collect(window, cursor, ctx) {
    const day = dayOf(window.start);
    const kept = { ...((cursor?.identityCenter as CentreCursor | undefined) ?? {}) };
    for (const clients of ctx.client.accounts) {
      if (!clients.identityCenter) continue;
      const account = clients.account.id;
      const state = await readIdentityCenter(clients.account, clients.identityCenter, ctx.signal);
      const at = window.start;
      const item = (key: string, payload: IdentityCenterItem): CollectedItem<IdentityCenterItem> => ({
        key: `${day}/${account}/${key}`,
        occurredAt: at,
        payload,
      });
      const common = { account, day };
      if (
        Object.keys(state.users).length +
          Object.keys(state.groups).length +
          Object.keys(state.permissionSets).length +
          state.assignments.length ===
        0
      )
        yield emptySnapshotItem(`${day}/${account}`, at, {
          kind: 'empty',
          ...common,
          description: `IAM Identity Center of ${account} read: no users, groups, permission sets or assignments`,
        } satisfies IdentityCenterItem);
      for (const [name, user] of Object.entries(state.users)) {
        yield item(`user/${name}`, {
          kind: 'user',
          ...common,
          userName: name,
          userId: user.userId,
          displayName: user.displayName,
          emails: user.emails,
          groups: Object.values(state.groups)
            .filter((group) => group.members.includes(name))
            .map((group) => group.displayName)
            .sort(),
          assignments: state.assignments
            .filter((a) => a.principalType === 'USER' && a.principal === name)
            .map((a) => `${a.accountId}/${a.permissionSet}`),
        });
      }
      for (const [name, group] of Object.entries(state.groups))
        yield item(`group/${name}`, { kind: 'group', ...common, name, members: group.members });
      for (const [name, set] of Object.entries(state.permissionSets))
        yield item(`permission-set/${name}`, {
          kind: 'permission-set',
          ...common,
          name,
          sessionDuration: set.sessionDuration,
        });
      for (const a of state.assignments)
        yield item(`assignment/${a.accountId}/${a.permissionSet}/${a.principalType}/${a.principal}`, {
          kind: 'assignment',
          ...common,
          ...a,
        });
      const baseline = baselineFor(kept, account, day);
      if (baseline) {
        for (const change of diffIdentityCenter(baseline.state, state))
          yield item(`change/${change.change}/${change.subject}`, {
            kind: 'change',
            ...common,
            since: baseline.day,
            ...change,
          });
      }
      const previous = kept[account];
      kept[account] =
        previous && previous.latest.day < day
          ? { latest: { day, state }, previous: previous.latest }
          : { latest: { day, state }, ...(baseline ? { previous: baseline } : {}) };
    }
    return { identityCenter: kept } as Cursor;
  },
});

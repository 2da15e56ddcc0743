import { z } from 'zod';
import { emptySnapshotItem } from '../../../src/empty-snapshot.js';
import { defineStream, type CollectedItem, type Cursor } from '../../../src/stream.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { diffIamState } from '../iam-diff.js';
import { readIamState, type IamState } from '../iam-snapshot.js';
import { dayOf, snapshotRetention } from '../stream-common.js';
import { awsStreams } from '../manifest.js';

const list = z.array(z.string());

export const iamStateItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    account: z.string(),
    day: z.string(),
    name: z.string(),
    arn: z.string(),
    createdAt: z.string().nullable(),
    groups: list,
    attachedPolicies: list,
    inlinePolicies: list,
    effectivePolicies: list,
    tags: z.record(z.string(), z.string()).optional(),
  }),
  z.object({
    kind: z.literal('group'),
    account: z.string(),
    day: z.string(),
    name: z.string(),
    arn: z.string(),
    attachedPolicies: list,
    inlinePolicies: list,
    members: list,
  }),
  z.object({
    kind: z.literal('role'),
    account: z.string(),
    day: z.string(),
    name: z.string(),
    arn: z.string(),
    trustPolicySha256: z.string().nullable(),
    trustedPrincipals: list,
    attachedPolicies: list,
    inlinePolicies: list,
  }),
  z.object({
    kind: z.literal('policy'),
    account: z.string(),
    day: z.string(),
    name: z.string(),
    arn: z.string(),
    defaultVersionId: z.string().nullable(),
    attachmentCount: z.number(),
    documentSha256: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('change'),
    account: z.string(),
    day: z.string(),
    since: z.string(),
    change: z.string(),
    principal: z.string(),
    detail: z.string(),
    description: z.string(),
  }),
  /** The account was read and held no user, group, role or customer managed policy. */
  z.object({ kind: z.literal('empty'), account: z.string(), day: z.string(), description: z.string() }),
]);

export type IamStateItem = z.infer<typeof iamStateItemSchema>;

/** Per account: the latest observation and the one before it (so re-running a day diffs the same pair). */
interface Observation {
  day: string;
  state: IamState;
}
type IamCursor = Record<string, { latest: Observation; previous?: Observation }>;

function baselineFor(cursor: IamCursor, account: string, day: string): Observation | undefined {
  const kept = cursor[account];
  if (!kept) return undefined;
  if (kept.latest.day < day) return kept.latest;
  // Re-running a day already observed: compare with what came before it, as the first run did.
  return kept.previous && kept.previous.day < day ? kept.previous : undefined;
}

export const iamStateStream = defineStream<AwsClient, IamStateItem, AwsConfig>({
  ...awsStreams['aws-iam-state'],
  windowsInOrder: true,
  retention: () => snapshotRetention,
  itemSchema: iamStateItemSchema,
  populationColumns: [
    { header: 'Day', value: (item) => item.payload.day },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'Kind', value: (item) => item.payload.kind },
    {
      header: 'Principal',
      value: (item) =>
        'principal' in item.payload
          ? item.payload.principal
          : item.payload.kind === 'empty'
            ? null
            : `${item.payload.kind}/${item.payload.name}`,
    },
    { header: 'Change', value: (item) => (item.payload.kind === 'change' ? item.payload.change : null) },
    {
      header: 'Description',
      value: (item) =>
        item.payload.kind === 'change' || item.payload.kind === 'empty' ? item.payload.description : null,
    },
  ],
  async *collect(window, cursor, ctx) {
    const day = dayOf(window.start);
    const kept = { ...((cursor?.iam as IamCursor | undefined) ?? {}) };
    for (const clients of ctx.client.accounts) {
      const account = clients.account.id;
      const state = await readIamState(clients.iam, account, ctx.signal);
      const base = { account, day };
      const at = window.start;
      const item = (principal: string, payload: IamStateItem): CollectedItem<IamStateItem> => ({
        key: `${day}/${account}/${principal}`,
        occurredAt: at,
        payload,
      });
      const held = [state.users, state.groups, state.roles, state.policies].some(
        (kind) => Object.keys(kind).length > 0,
      );
      if (!held)
        yield emptySnapshotItem(`${day}/${account}`, at, {
          kind: 'empty',
          ...base,
          description: `IAM of ${account} read: no users, groups, roles or customer managed policies`,
        } satisfies IamStateItem);
      for (const [name, user] of Object.entries(state.users))
        yield item(`user/${name}`, { kind: 'user', ...base, name, ...user });
      for (const [name, group] of Object.entries(state.groups))
        yield item(`group/${name}`, { kind: 'group', ...base, name, ...group });
      for (const [name, role] of Object.entries(state.roles))
        yield item(`role/${name}`, { kind: 'role', ...base, name, ...role });
      for (const [arn, policy] of Object.entries(state.policies))
        yield item(`policy/${arn}`, { kind: 'policy', ...base, arn, ...policy });
      const baseline = baselineFor(kept, account, day);
      if (baseline) {
        for (const change of diffIamState(baseline.state, state)) {
          yield item(`change/${change.principal}/${change.change}/${change.detail}`, {
            kind: 'change',
            ...base,
            since: baseline.day,
            ...change,
          });
        }
      }
      const previous = kept[account];
      kept[account] =
        previous && previous.latest.day < day
          ? { latest: { day, state }, previous: previous.latest }
          : { latest: { day, state }, ...(baseline ? { previous: baseline } : {}) };
    }
    return { iam: kept } as Cursor;
  },
});

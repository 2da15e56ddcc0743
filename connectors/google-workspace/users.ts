import { z } from 'zod';
import { nextSnapshotCursor, readSnapshotCursor, snapshotBaseline } from '../../src/snapshot-cursor.js';
import { emptySnapshotItem } from '../../src/empty-snapshot.js';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { GoogleWorkspaceClient } from './client.js';
import type { GoogleWorkspaceConfig } from './config.js';
import { googleUserChanges } from './user-diff.js';
import {
  comparedGoogleUser,
  googleUserPayload,
  type ComparedGoogleUser,
  type GoogleUserPayload,
} from './user-payload.js';
import { googleWorkspaceStreams } from './manifest.js';

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? false);
const apiUser = z
  .object({
    id: z.string(),
    primaryEmail: z.string(),
    name: z.object({ fullName: text }).loose().nullish(),
    suspended: flag,
    archived: flag,
    creationTime: text,
    lastLoginTime: text,
    orgUnitPath: text,
    isAdmin: flag,
    isDelegatedAdmin: flag,
    isEnrolledIn2Sv: flag,
    isEnforcedIn2Sv: flag,
    aliases: z.array(z.string()).nullish(),
    externalIds: z
      .array(z.object({ value: z.string().nullish(), type: z.string().nullish() }).loose())
      .nullish(),
    organizations: z
      .array(z.object({ department: text, title: text, primary: z.boolean().nullish() }).loose())
      .nullish(),
    relations: z
      .array(z.object({ value: z.string().nullish(), type: z.string().nullish() }).loose())
      .nullish(),
  })
  .loose();
const usersPage = z
  .object({ users: z.array(z.unknown()).nullish(), nextPageToken: z.string().nullish() })
  .loose();
const stateSchema = z.record(z.string(), comparedGoogleUser);

const day = (at: number) => new Date(at).toISOString().slice(0, 10);
// Google's "never signed in" is the epoch.
const loginTime = (value: string | null) => (value === null || value.startsWith('1970-01-01') ? null : value);

export const googleWorkspaceUsers = defineStream<
  GoogleWorkspaceClient,
  GoogleUserPayload,
  GoogleWorkspaceConfig
>({
  windowsInOrder: true,
  ...googleWorkspaceStreams['google-workspace-users'],
  retention: () => ({
    kind: 'snapshot',
    reason: 'the Directory API shows only the current users; past days cannot be read',
  }),
  itemSchema: googleUserPayload,
  populationColumns: [
    { header: 'Date (UTC)', value: ({ occurredAt }) => day(occurredAt) },
    { header: 'Record', value: ({ payload }) => payload.type },
    {
      header: 'Primary email',
      value: ({ payload }) => (payload.type === 'empty' ? '' : payload.primaryEmail),
    },
    {
      header: 'Suspended',
      value: ({ payload }) => (payload.type === 'observation' ? payload.suspended : ''),
    },
    {
      header: 'Employee id',
      value: ({ payload }) => (payload.type === 'observation' ? payload.employeeId : ''),
    },
    {
      header: 'Department',
      value: ({ payload }) => (payload.type === 'observation' ? payload.department : ''),
    },
    {
      header: 'Admin',
      value: ({ payload }) =>
        payload.type === 'observation' ? payload.isAdmin || payload.isDelegatedAdmin : '',
    },
    {
      header: '2SV enrolled',
      value: ({ payload }) => (payload.type === 'observation' ? payload.isEnrolledIn2Sv : ''),
    },
    {
      header: '2SV enforced',
      value: ({ payload }) => (payload.type === 'observation' ? payload.isEnforcedIn2Sv : ''),
    },
    {
      header: 'Last login',
      value: ({ payload }) => (payload.type === 'observation' ? payload.lastLoginTime : ''),
    },
    {
      header: 'Change',
      value: ({ payload }) => (payload.type === 'observation' ? '' : payload.description),
    },
  ],
  async *collect(window, cursor, ctx) {
    const today = day(window.start);
    const kept = readSnapshotCursor(cursor, stateSchema);
    const state: Record<string, ComparedGoogleUser> = {};
    const { customer, pageSize } = ctx.client.config;
    const observations: CollectedItem<GoogleUserPayload>[] = [];
    let pageToken: string | undefined;
    let pageNumber = 0;
    // What the directory listed, rejected records included: only a listing of none is an empty read.
    let listed = 0;
    do {
      pageNumber += 1;
      const token = pageToken;
      const page = usersPage.parse(
        await ctx.client.call('list Google Workspace users', () =>
          ctx.client.directory.users.list(
            {
              customer,
              maxResults: pageSize,
              projection: 'full',
              orderBy: 'email',
              ...(token ? { pageToken: token } : {}),
            },
            { retry: false },
          ),
        ),
      );
      listed += page.users?.length ?? 0;
      for (const [index, raw] of (page.users ?? []).entries()) {
        const parsed = apiUser.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          await ctx.reject({
            reason: `Directory user field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
            source: `users.list page ${pageNumber} record ${index}`,
            raw,
          });
          continue;
        }
        const user = parsed.data;
        const organisation = user.organizations?.find((o) => o.primary) ?? user.organizations?.[0];
        const compared: ComparedGoogleUser = {
          primaryEmail: user.primaryEmail,
          suspended: user.suspended,
          archived: user.archived,
          orgUnitPath: user.orgUnitPath,
          department: organisation?.department ?? null,
          manager: user.relations?.find((r) => r.type === 'manager')?.value ?? null,
          isAdmin: user.isAdmin,
          isDelegatedAdmin: user.isDelegatedAdmin,
        };
        state[user.id] = compared;
        observations.push({
          key: `${today}/${user.id}`,
          occurredAt: window.start,
          payload: {
            type: 'observation',
            id: user.id,
            ...compared,
            name: user.name?.fullName ?? null,
            aliases: [...(user.aliases ?? [])].sort(),
            employeeId: user.externalIds?.find((e) => e.type === 'organization')?.value ?? null,
            title: organisation?.title ?? null,
            creationTime: user.creationTime,
            lastLoginTime: loginTime(user.lastLoginTime),
            isEnrolledIn2Sv: user.isEnrolledIn2Sv,
            isEnforcedIn2Sv: user.isEnforcedIn2Sv,
          },
        });
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    if (listed === 0)
      yield emptySnapshotItem(today, window.start, {
        type: 'empty',
        description: `Google Workspace directory of ${customer} read: no users`,
      } satisfies GoogleUserPayload);
    yield* observations;
    const baseline = snapshotBaseline(kept, today);
    if (baseline) {
      const ids = [...new Set([...Object.keys(baseline.state), ...Object.keys(state)])].sort();
      for (const id of ids)
        for (const change of googleUserChanges(baseline.state[id], state[id]))
          yield {
            key: `${today}/${id}/${change.change}`,
            occurredAt: window.start,
            payload: {
              type: 'change',
              id,
              primaryEmail: (state[id] ?? baseline.state[id])!.primaryEmail,
              since: baseline.day,
              ...change,
            },
          };
    }
    return { ...nextSnapshotCursor(kept, today, state) };
  },
});

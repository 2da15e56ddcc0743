import { z } from 'zod';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { GoogleWorkspaceClient } from './client.js';
import type { GoogleWorkspaceConfig } from './config.js';
import { googleWorkspaceStreams } from './manifest.js';

/** The admin-console event types about users, groups and admin roles (the rest is domain settings). */
export const GOOGLE_ADMIN_EVENT_TYPES = new Set([
  'USER_SETTINGS',
  'GROUP_SETTINGS',
  'DELEGATED_ADMIN_SETTINGS',
]);

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const parameter = z
  .object({
    name: z.string(),
    value: z.string().nullish(),
    multiValue: z.array(z.string()).nullish(),
    boolValue: z.boolean().nullish(),
    intValue: z.string().nullish(),
  })
  .loose();
const activity = z
  .object({
    id: z.object({ time: z.string(), uniqueQualifier: z.string(), applicationName: text }).loose(),
    actor: z.object({ email: text, profileId: text, callerType: text }).loose().nullish(),
    ipAddress: text,
    events: z.array(
      z.object({ type: text, name: z.string(), parameters: z.array(parameter).nullish() }).loose(),
    ),
  })
  .loose();
const activitiesPage = z
  .object({ items: z.array(z.unknown()).nullish(), nextPageToken: z.string().nullish() })
  .loose();

export const googleAdminEventPayload = z.object({
  time: z.string(),
  uniqueQualifier: z.string(),
  type: z.string(),
  name: z.string(),
  actorEmail: z.string().nullable(),
  actorCallerType: z.string().nullable(),
  ipAddress: z.string().nullable(),
  /** The event's parameters as Google gave them (USER_EMAIL, GROUP_EMAIL, PRIVILEGE_NAME, ...). */
  parameters: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])),
});
export type GoogleAdminEventPayload = z.infer<typeof googleAdminEventPayload>;

function parametersOf(list: z.infer<typeof parameter>[] | null | undefined) {
  const out: Record<string, string | string[] | boolean> = {};
  for (const p of list ?? []) {
    const value = p.value ?? p.multiValue ?? p.boolValue ?? p.intValue;
    if (value !== undefined && value !== null) out[p.name] = value;
  }
  return out;
}

export const googleWorkspaceAdminEvents = defineStream<
  GoogleWorkspaceClient,
  GoogleAdminEventPayload,
  GoogleWorkspaceConfig
>({
  ...googleWorkspaceStreams['google-workspace-admin-events'],
  retention: () => ({
    kind: 'days',
    days: 180,
    reason: 'the Google Workspace Reports API keeps admin activity about 6 months',
  }),
  itemSchema: googleAdminEventPayload,
  populationColumns: [
    { header: 'Time (UTC)', value: ({ payload }) => payload.time },
    { header: 'Type', value: ({ payload }) => payload.type },
    { header: 'Event', value: ({ payload }) => payload.name },
    { header: 'Actor', value: ({ payload }) => payload.actorEmail },
    { header: 'User', value: ({ payload }) => String(payload.parameters.USER_EMAIL ?? '') },
    { header: 'Group', value: ({ payload }) => String(payload.parameters.GROUP_EMAIL ?? '') },
    { header: 'Privilege', value: ({ payload }) => String(payload.parameters.PRIVILEGE_NAME ?? '') },
  ],
  async *collect(window, _cursor, ctx) {
    const { customer, pageSize } = ctx.client.config;
    let pageToken: string | undefined;
    let pageNumber = 0;
    do {
      pageNumber += 1;
      const token = pageToken;
      const page = activitiesPage.parse(
        await ctx.client.call('list Google Workspace admin activities', () =>
          ctx.client.reports.activities.list(
            {
              userKey: 'all',
              applicationName: 'admin',
              startTime: new Date(window.start).toISOString(),
              // endTime is inclusive in the Reports API: stop a millisecond short of the next window.
              endTime: new Date(window.end - 1).toISOString(),
              maxResults: Math.min(pageSize * 2, 1000),
              ...(customer !== 'my_customer' ? { customerId: customer } : {}),
              ...(token ? { pageToken: token } : {}),
            },
            { retry: false },
          ),
        ),
      );
      for (const [index, raw] of (page.items ?? []).entries()) {
        const parsed = activity.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          await ctx.reject({
            reason: `admin activity field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
            source: `activities.list page ${pageNumber} record ${index}`,
            raw,
          });
          continue;
        }
        const item = parsed.data;
        const occurredAt = Date.parse(item.id.time);
        if (!(occurredAt >= window.start && occurredAt < window.end)) continue;
        for (const [position, event] of item.events.entries()) {
          if (!event.type || !GOOGLE_ADMIN_EVENT_TYPES.has(event.type)) continue;
          yield {
            key: `${item.id.time}/${item.id.uniqueQualifier}/${position}`,
            occurredAt,
            payload: {
              time: new Date(occurredAt).toISOString(),
              uniqueQualifier: item.id.uniqueQualifier,
              type: event.type,
              name: event.name,
              actorEmail: item.actor?.email ?? null,
              actorCallerType: item.actor?.callerType ?? null,
              ipAddress: item.ipAddress,
              parameters: parametersOf(event.parameters),
            },
          } satisfies CollectedItem<GoogleAdminEventPayload>;
        }
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  },
});

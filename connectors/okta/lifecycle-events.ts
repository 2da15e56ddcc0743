import { z } from 'zod';
import { defineStream, type CollectedItem } from '../../src/stream.js';
import type { OktaClient } from './client.js';
import type { OktaConfig } from './config.js';
import { oktaStreams } from './manifest.js';

/** The System Log event types the stream reads, by the category an auditor knows them by. */
export const OKTA_EVENT_TYPES = {
  'user.lifecycle.create': 'user_lifecycle',
  'user.lifecycle.activate': 'user_lifecycle',
  'user.lifecycle.deactivate': 'user_lifecycle',
  'user.lifecycle.suspend': 'user_lifecycle',
  'user.lifecycle.unsuspend': 'user_lifecycle',
  'user.lifecycle.delete.initiated': 'user_lifecycle',
  'user.lifecycle.delete.completed': 'user_lifecycle',
  'group.user_membership.add': 'group_membership',
  'group.user_membership.remove': 'group_membership',
  'application.user_membership.add': 'app_membership',
  'application.user_membership.remove': 'app_membership',
  'user.account.privilege.grant': 'admin_privilege',
  'user.account.privilege.revoke': 'admin_privilege',
  'user.mfa.factor.reset_all': 'mfa',
  'user.mfa.factor.deactivate': 'mfa',
} as const;

const OKTA_FILTER = Object.keys(OKTA_EVENT_TYPES)
  .map((type) => `eventType eq "${type}"`)
  .join(' or ');

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const party = z
  .object({ id: z.string(), type: z.string(), alternateId: text, displayName: text })
  .loose()
  .transform(({ id, type, alternateId, displayName }) => ({ id, type, alternateId, displayName }));
const apiEvent = z
  .object({
    uuid: z.string(),
    published: z.string(),
    eventType: z.string(),
    displayMessage: text,
    severity: text,
    actor: party,
    target: z.array(party).nullish(),
    outcome: z.object({ result: z.string(), reason: text }).loose().nullish(),
    client: z.object({ ipAddress: text }).loose().nullish(),
    transaction: z.object({ id: text }).loose().nullish(),
  })
  .loose();

const partySchema = z.object({
  id: z.string(),
  type: z.string(),
  alternateId: z.string().nullable(),
  displayName: z.string().nullable(),
});
export const oktaEventPayload = z.object({
  uuid: z.string(),
  published: z.string(),
  eventType: z.string(),
  category: z.enum(['user_lifecycle', 'group_membership', 'app_membership', 'admin_privilege', 'mfa']),
  displayMessage: z.string().nullable(),
  actor: partySchema,
  targets: z.array(partySchema),
  outcome: z.string().nullable(),
  outcomeReason: z.string().nullable(),
  ipAddress: z.string().nullable(),
});
export type OktaEventPayload = z.infer<typeof oktaEventPayload>;

export const oktaLifecycleEvents = defineStream<OktaClient, OktaEventPayload, OktaConfig>({
  ...oktaStreams['okta-lifecycle-events'],
  retention: () => ({ kind: 'days', days: 90, reason: 'the Okta System Log keeps 90 days of events' }),
  itemSchema: oktaEventPayload,
  populationColumns: [
    { header: 'Published (UTC)', value: ({ payload }) => payload.published },
    { header: 'Event type', value: ({ payload }) => payload.eventType },
    { header: 'Category', value: ({ payload }) => payload.category },
    { header: 'Actor', value: ({ payload }) => payload.actor.alternateId ?? payload.actor.id },
    {
      header: 'Targets',
      value: ({ payload }) =>
        payload.targets.map((t) => `${t.type}:${t.alternateId ?? t.displayName ?? t.id}`).join('; '),
    },
    { header: 'Outcome', value: ({ payload }) => payload.outcome },
    { header: 'Message', value: ({ payload }) => payload.displayMessage },
  ],
  async *collect(window, _cursor, ctx) {
    const query = {
      since: new Date(window.start).toISOString(),
      until: new Date(window.end).toISOString(),
      sortOrder: 'ASCENDING',
      limit: Math.min(ctx.client.config.pageSize, 1000),
      filter: OKTA_FILTER,
    };
    const schema = z.array(z.unknown());
    for await (const page of ctx.client.pages('/api/v1/logs', query, schema, 'read the Okta System Log')) {
      for (const [index, raw] of page.entries()) {
        const parsed = apiEvent.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          await ctx.reject({
            reason: `System Log event field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
            source: `/api/v1/logs page record ${index}`,
            raw,
          });
          continue;
        }
        const event = parsed.data;
        const category = OKTA_EVENT_TYPES[event.eventType as keyof typeof OKTA_EVENT_TYPES];
        const occurredAt = Date.parse(event.published);
        // The filter already narrows the types; bounds are checked again so an item never leaves its window.
        if (!category || !(occurredAt >= window.start && occurredAt < window.end)) continue;
        yield {
          key: event.uuid,
          occurredAt,
          payload: {
            uuid: event.uuid,
            published: new Date(occurredAt).toISOString(),
            eventType: event.eventType,
            category,
            displayMessage: event.displayMessage,
            actor: event.actor,
            targets: event.target ?? [],
            outcome: event.outcome?.result ?? null,
            outcomeReason: event.outcome?.reason ?? null,
            ipAddress: event.client?.ipAddress ?? null,
          },
        } satisfies CollectedItem<OktaEventPayload>;
      }
    }
  },
});

import { z } from 'zod';
import type { FactsReader } from '../../src/checks/check.js';
import type { Window } from '../../src/time.js';
import { changeActivity, PRODUCTION_CHANGES } from './change-activity.js';

export const OKTA_EVENTS = 'okta-lifecycle-events';
export const GOOGLE_EVENTS = 'google-workspace-admin-events';
export const AWS_ACCESS_CHANGES = 'aws-cloudtrail-access-changes';
/** The event streams that end or use an account (production changes are a GitHub account's use). */
export const REMOVAL_EVENT_STREAMS = [OKTA_EVENTS, GOOGLE_EVENTS, AWS_ACCESS_CHANGES, PRODUCTION_CHANGES];

/** A source event that ended (or used) an account's access, at its exact time. */
export interface AccountEvent {
  readonly system: string;
  readonly accountId: string;
  readonly at: number;
  /** How the package names the evidence: stream, event name and id. */
  readonly evidence: string;
}

const OKTA_REMOVALS = new Set([
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.delete.initiated',
  'user.lifecycle.delete.completed',
]);
const GOOGLE_REMOVALS = new Set(['SUSPEND_USER', 'DELETE_USER', 'ARCHIVE_USER']);

const oktaEvent = z.looseObject({
  uuid: z.string(),
  published: z.string(),
  eventType: z.string(),
  outcome: z.string().nullable(),
  targets: z.array(z.looseObject({ type: z.string(), alternateId: z.string().nullable() })),
});
const googleEvent = z.looseObject({
  time: z.string(),
  uniqueQualifier: z.string(),
  name: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});
const trailEvent = z.looseObject({
  account: z.string(),
  eventId: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  actor: z.string(),
  effective: z.boolean(),
  requestParameters: z.record(z.string(), z.unknown()).nullable(),
});

export interface LifecycleEvents {
  /** Removals by system and account id, earliest first. */
  readonly removals: readonly AccountEvent[];
  /** Calls made by an IAM user (CloudTrail) and changes landed by a GitHub account, for use after the end of employment. */
  readonly activity: readonly AccountEvent[];
  /** The systems whose lifecycle events are collected here. */
  readonly evented: ReadonlySet<string>;
}

// An IAM user acting shows in CloudTrail as arn:aws:iam::<account>:user/<name>.
const iamUserOf = (actor: string) => /^arn:aws:iam::(\d+):user\/(?:.*\/)?([^/]+)$/.exec(actor);

/**
 * The lifecycle and CloudTrail events of the range that end or use an account, where those streams are
 * collected. An Identity Store DeleteUser names only the user id: `centreUserNames` (from the Identity
 * Center snapshots, read once with the other account streams) names its user.
 */
export async function lifecycleEvents(
  facts: FactsReader,
  range: Window,
  centreUserNames: ReadonlyMap<string, string>,
): Promise<LifecycleEvents> {
  const removals: AccountEvent[] = [];
  const activity: AccountEvent[] = [];
  const evented = new Set<string>();
  if (facts.collected(OKTA_EVENTS)) {
    evented.add('Okta');
    for await (const { payload: e } of facts.items(OKTA_EVENTS, range, oktaEvent)) {
      if (!OKTA_REMOVALS.has(e.eventType) || (e.outcome !== null && e.outcome !== 'SUCCESS')) continue;
      for (const target of e.targets)
        if (target.type === 'User' && target.alternateId)
          removals.push({
            system: 'Okta',
            accountId: target.alternateId,
            at: Date.parse(e.published),
            evidence: `Okta System Log ${e.eventType} ${e.uuid}`,
          });
    }
  }
  if (facts.collected(GOOGLE_EVENTS)) {
    evented.add('Google Workspace');
    for await (const { payload: e } of facts.items(GOOGLE_EVENTS, range, googleEvent)) {
      const user = e.parameters.USER_EMAIL;
      if (!GOOGLE_REMOVALS.has(e.name) || typeof user !== 'string') continue;
      removals.push({
        system: 'Google Workspace',
        accountId: user.toLowerCase(),
        at: Date.parse(e.time),
        evidence: `Google admin log ${e.name} ${e.uniqueQualifier}`,
      });
    }
  }
  if (facts.collected(AWS_ACCESS_CHANGES)) {
    evented.add('AWS IAM');
    const centreDeletions: { userId: string; at: number; evidence: string }[] = [];
    for await (const { payload: e } of facts.items(AWS_ACCESS_CHANGES, range, trailEvent)) {
      const at = Date.parse(e.eventTime);
      const user = iamUserOf(e.actor);
      if (user)
        activity.push({
          system: 'AWS IAM',
          accountId: `${user[1]}/${user[2]}`,
          at,
          evidence: `CloudTrail ${e.eventName} ${e.eventId}`,
        });
      if (!e.effective || e.eventName !== 'DeleteUser') continue;
      // IAM names the user; the Identity Store only its id, mapped to the user by the snapshots below.
      const { userName, userId } = e.requestParameters ?? {};
      if (e.eventSource === 'iam.amazonaws.com' && typeof userName === 'string')
        removals.push({
          system: 'AWS IAM',
          accountId: `${e.account}/${userName}`,
          at,
          evidence: `CloudTrail DeleteUser ${e.eventId}`,
        });
      else if (e.eventSource === 'identitystore.amazonaws.com' && typeof userId === 'string')
        centreDeletions.push({ userId, at, evidence: `CloudTrail identitystore DeleteUser ${e.eventId}` });
    }
    if (centreDeletions.length > 0) {
      evented.add('AWS IAM Identity Center');
      for (const deletion of centreDeletions) {
        const name = centreUserNames.get(deletion.userId);
        if (name)
          removals.push({
            system: 'AWS IAM Identity Center',
            accountId: name,
            at: deletion.at,
            evidence: deletion.evidence,
          });
      }
    }
  }
  activity.push(...(await changeActivity(facts, range)));
  removals.sort((a, b) => a.at - b.at);
  return { removals, activity, evented };
}

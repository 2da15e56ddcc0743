import { leaverAccessRemoval } from '../../../checks/leaver-access-removal.js';
import { DEFAULT_PEOPLE_SETTINGS } from '../../../checks/people/defaults.js';
import { leaverRows } from '../../../checks/people/leaver-rows.js';
import { StoreFacts } from '../../../src/checks/store-facts.js';
import { EvidenceRepository, prepareItem } from '../../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../../src/store/open-store.js';
import { RunLedger } from '../../../src/store/run-ledger.js';
import { DAY, HOUR, type Window } from '../../../src/time.js';

export const ACCOUNT = '123456789012';
export const START = Date.UTC(2026, 5, 1);
export const PERIOD: Window = { start: START, end: START + 30 * DAY };
/** Day `n` of the planted period, as YYYY-MM-DD. */
export const day = (n: number) => new Date(START + n * DAY).toISOString().slice(0, 10);

interface Planted {
  readonly first: string;
  readonly startDay: number;
  /** Day index of the HR end date; undefined while employed. */
  readonly endDay?: number;
  /** Day index from which each system no longer lists the account (undefined: never removed). */
  readonly gone: Partial<Record<'okta' | 'github' | 'iam', number>>;
  readonly iam: boolean;
  readonly mfa: boolean;
}

/**
 * The planted company: alice leaves on day 9, Okta deactivates her the same afternoon (an event) and
 * GitHub drops her on day 13 (snapshots only: late); bob leaves on day 11, his IAM user is never
 * deleted and calls AWS on day 20; carol leaves on day 14 and GitHub drops her while org access was not
 * collected (days 15 to 17); dave stays, without MFA on GitHub; "ci-bot" is an IAM user of no person.
 */
export const PEOPLE: readonly Planted[] = [
  { first: 'alice', startDay: -400, endDay: 9, gone: { okta: 10, github: 13 }, iam: false, mfa: true },
  { first: 'bob', startDay: -300, endDay: 11, gone: { okta: 11, github: 11 }, iam: true, mfa: true },
  { first: 'carol', startDay: -200, endDay: 14, gone: { okta: 14, github: 16 }, iam: false, mfa: true },
  { first: 'dave', startDay: -100, gone: {}, iam: true, mfa: false },
];
export const GITHUB_GAP = { start: START + 15 * DAY, end: START + 18 * DAY };
export const email = (first: string) => `${first}@acme.test`;
const SNAPSHOT_HOUR = 6 * HOUR;

export interface PlantOptions {
  /** Write the Okta System Log (lifecycle events); false as if the stream were disabled. */
  readonly oktaEvents?: boolean;
}

export async function write(
  store: EvidenceStore,
  stream: string,
  window: Window,
  items: ReturnType<typeof prepareItem>[],
) {
  const ledger = new RunLedger(store);
  const now = window.end + HOUR;
  const runId = await ledger.start({ stream, window, trigger: 'backfill', attempt: 1, now });
  // The planted items describe the state at their occurredAt: read at that moment, as a snapshot is.
  const collectedAt = items.length > 0 ? Math.max(...items.map((item) => item.occurredAt)) : now;
  const counts = await new EvidenceRepository(store).write(
    { stream, runId, collectedAt, criteria: ['CC6.2'], isoControls: ['A.5.18'] },
    items,
  );
  await ledger.succeed(runId, stream, { ...counts, skipped: 0 }, now, undefined);
}

/** Writes the planted facts through the real store and ledger, one succeeded run per day and stream. */
export async function plantCompany(store: EvidenceStore, options: PlantOptions = {}): Promise<string[]> {
  const has = (person: Planted, system: 'okta' | 'github' | 'iam', n: number) =>
    n >= person.startDay && (person.gone[system] === undefined || n < person.gone[system]!);
  for (let n = 0; n < 30; n += 1) {
    const window = { start: START + n * DAY, end: START + (n + 1) * DAY };
    const at = window.start + SNAPSHOT_HOUR;
    const d = day(n);
    await write(
      store,
      'okta-users',
      window,
      PEOPLE.map((p) =>
        prepareItem({
          key: `${d}/${p.first}`,
          occurredAt: at,
          payload: {
            type: 'observation',
            id: `00u${p.first}`,
            login: email(p.first),
            email: email(p.first),
            status: has(p, 'okta', n) ? 'ACTIVE' : 'DEPROVISIONED',
            adminRoles: [],
            lastLogin: null,
            factors: p.mfa ? [{ type: 'push', provider: 'OKTA', status: 'ACTIVE' }] : [],
          },
        }),
      ),
    );
    const inGap = window.start >= GITHUB_GAP.start && window.start < GITHUB_GAP.end;
    if (!inGap)
      await write(
        store,
        'github-org-access',
        window,
        PEOPLE.filter((p) => has(p, 'github', n)).map((p) =>
          prepareItem({
            key: `${d}/member/${p.first}-gh`,
            occurredAt: at,
            payload: {
              type: 'observation',
              login: `${p.first}-gh`,
              kind: 'member',
              role: 'member',
              twoFactor: p.first === 'dave' ? 'disabled' : 'enabled',
              samlIdentity: email(p.first),
            },
          }),
        ),
      );
    const iamUsers = PEOPLE.filter((p) => p.iam && has(p, 'iam', n)).map((p) => ({
      name: p.first,
      tags: { email: email(p.first) },
    }));
    await write(
      store,
      'aws-iam-state',
      window,
      [...iamUsers, { name: 'ci-bot', tags: {} }].map((user) =>
        prepareItem({
          key: `${d}/${ACCOUNT}/user/${user.name}`,
          occurredAt: at,
          payload: { kind: 'user', account: ACCOUNT, name: user.name, attachedPolicies: [], tags: user.tags },
        }),
      ),
    );
  }
  const hrDay = { start: START + 29 * DAY, end: PERIOD.end };
  await write(
    store,
    'hr-workforce',
    hrDay,
    PEOPLE.map((p, i) =>
      prepareItem({
        key: `${day(29)}/E${i + 1}`,
        occurredAt: hrDay.start + HOUR,
        payload: {
          kind: 'employee',
          day: day(29),
          employeeId: `E${i + 1}`,
          email: email(p.first),
          name: p.first,
          startDate: day(p.startDay),
          endDate: p.endDay === undefined ? null : day(p.endDay),
        },
      }),
    ),
  );
  const events = { start: START, end: PERIOD.end };
  const collected = ['okta-users', 'github-org-access', 'aws-iam-state', 'hr-workforce'];
  if (options.oktaEvents !== false) {
    collected.push('okta-lifecycle-events');
    await write(store, 'okta-lifecycle-events', events, [
      prepareItem({
        key: 'evt-alice-deactivate',
        occurredAt: START + 9 * DAY + 15 * HOUR,
        payload: {
          uuid: 'evt-alice-deactivate',
          published: new Date(START + 9 * DAY + 15 * HOUR).toISOString(),
          eventType: 'user.lifecycle.deactivate',
          category: 'user_lifecycle',
          displayMessage: 'Deactivate Okta user',
          actor: { id: 'admin', type: 'User', alternateId: 'it@acme.test', displayName: 'IT' },
          targets: [{ id: '00ualice', type: 'User', alternateId: email('alice'), displayName: 'alice' }],
          outcome: 'SUCCESS',
          outcomeReason: null,
          ipAddress: null,
        },
      }),
    ]);
  }
  collected.push('aws-cloudtrail-access-changes');
  const bobCall = START + 20 * DAY + 10 * HOUR;
  await write(store, 'aws-cloudtrail-access-changes', events, [
    prepareItem({
      key: 'trail-bob-call',
      occurredAt: bobCall,
      payload: {
        account: ACCOUNT,
        region: 'us-east-1',
        eventId: 'trail-bob-call',
        eventTime: new Date(bobCall).toISOString(),
        eventName: 'CreateAccessKey',
        eventSource: 'iam.amazonaws.com',
        actor: `arn:aws:iam::${ACCOUNT}:user/bob`,
        target: 'user bob',
        effective: true,
        errorCode: null,
        errorMessage: null,
        sourceIp: null,
        requestParameters: { userName: 'bob' },
      },
    }),
  ]);
  return collected;
}

/** What the leaver check reads from the store; an unreadable item fails the test. */
export const leaverFacts = (store: EvidenceStore, collected: ReadonlySet<string>) =>
  new StoreFacts(store, 'test', new Set(leaverAccessRemoval.streams), collected, (fact) => {
    throw new Error(`unreadable ${fact.key}`);
  });

/** The leaver rows of the planted period, with the default people settings and a one-day SLA. */
export const plantedLeaverRows = (store: EvidenceStore, collected: ReadonlySet<string>) =>
  leaverRows(leaverFacts(store, collected), PERIOD, DEFAULT_PEOPLE_SETTINGS, { sla: DAY, slaBySystem: {} });

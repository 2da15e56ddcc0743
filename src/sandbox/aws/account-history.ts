import { applyEvent, POLICY, type SandboxRecord, type SandboxState } from './iam-model.js';
import { buildCompany, type Company } from '../company/index.js';
import { initialState, TRUST_ACCOUNT } from './initial-account.js';
import { plantIdentityStoreLifecycle, plantPeopleLifecycle } from './people-iam.js';
import { seededRandom, seededUuid } from './random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const SANDBOX_REGIONS = ['us-east-1', 'eu-west-1'] as const;

export interface GroundTruth {
  readonly accountId: string;
  readonly period: { start: number; end: number };
  /** Every event the account recorded, oldest first. */
  readonly events: readonly SandboxRecord[];
  /** eventIDs of every IAM write (the access-change population), with whether it took effect. */
  readonly accessChanges: readonly { eventId: string; eventName: string; effective: boolean }[];
  readonly joiners: readonly { user: string; at: number; eventId: string }[];
  readonly leavers: readonly { user: string; at: number; eventId: string }[];
  /** StopLogging ... StartLogging: nothing is recorded in between. */
  readonly outage: { start: number; end: number };
  readonly rootLogins: readonly string[];
  readonly failedLogins: readonly string[];
  readonly loginsWithoutMfa: readonly string[];
  /** The state before the period: users present from the start are not joiners. */
  readonly initialState: () => SandboxState;
  /** The company the IAM users and Identity Center users belong to. */
  readonly company: Company;
  readonly emailTag: string;
}

/** Builds a deterministic year (or `days`) of CloudTrail history for one account from a seed. */
export function generateHistory(options: {
  seed: number;
  now: number;
  days: number;
  accountId: string;
  /** The IAM user tag that carries the person's work email; default `email`. */
  emailTag?: string;
}): GroundTruth {
  const { accountId: account, seed } = options;
  const emailTag = options.emailTag ?? 'email';
  // The same company the Okta, Google and GitHub sandboxes serve: IAM users are its people.
  const company = buildCompany({ seed, now: options.now, days: options.days });
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const end = Math.floor(options.now / HOUR) * HOUR;
  const start = end - options.days * DAY;
  const events: SandboxRecord[] = [];
  const accessChanges: { eventId: string; eventName: string; effective: boolean }[] = [];
  const joiners: { user: string; at: number; eventId: string }[] = [];
  const leavers: { user: string; at: number; eventId: string }[] = [];
  const rootLogins: string[] = [];
  const failedLogins: string[] = [];
  const loginsWithoutMfa: string[] = [];
  // The outage: 30 days back (inside LookupEvents' 90 days), 01:07 to 06:19 UTC.
  // Schedules are anchored on UTC midnights so IAM work (09:00-17:00) never falls in the outage (01:07-06:19).
  const firstDay = Math.ceil(start / DAY) * DAY;
  const outageHour = Math.floor((end - 30 * DAY) / DAY) * DAY + HOUR;
  const outage = { start: outageHour + 7 * 60_000, end: outageHour + 5 * HOUR + 12 * 60_000 };

  const identity = (name: string) => ({
    type: 'IAMUser',
    arn: `arn:aws:iam::${account}:user/${name}`,
    principalId: `AIDA${name.toUpperCase()}`,
    accountId: account,
    userName: name,
  });
  const root = {
    type: 'Root',
    arn: `arn:aws:iam::${account}:root`,
    principalId: account,
    accountId: account,
  };
  const emit = (
    at: number,
    source: string,
    name: string,
    who: Record<string, unknown>,
    params: Record<string, unknown> | null,
    extra: Partial<SandboxRecord> = {},
    region = 'us-east-1',
  ): SandboxRecord => {
    const record: SandboxRecord = {
      eventVersion: '1.09',
      eventID: seededUuid(random),
      eventTime: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventName: name,
      eventSource: source,
      awsRegion: region,
      recipientAccountId: account,
      userIdentity: who,
      requestParameters: params,
      responseElements: null,
      sourceIPAddress: `203.0.113.${Math.floor(random() * 250) + 1}`,
      userAgent: 'aws-cli/2.15.0',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      ...extra,
    };
    events.push(record);
    return record;
  };
  const iamWrite = (
    at: number,
    name: string,
    params: Record<string, unknown>,
    who = identity('alice'),
    extra: Partial<SandboxRecord> = {},
  ) => {
    const record = emit(at, 'iam.amazonaws.com', name, who, params, extra);
    accessChanges.push({ eventId: record.eventID, eventName: name, effective: !record.errorCode });
    return record;
  };
  const login = (at: number, who: Record<string, unknown>, outcome: 'Success' | 'Failure', mfa: boolean) =>
    emit(at, 'signin.amazonaws.com', 'ConsoleLogin', who, null, {
      eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: outcome },
      additionalEventData: { MFAUsed: mfa ? 'Yes' : 'No', LoginTo: 'https://console.aws.amazon.com/' },
      ...(outcome === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
    });

  // Background: read-only calls every hour in every region, so only the outage is silent.
  const reads = [
    ['ec2.amazonaws.com', 'DescribeInstances'],
    ['s3.amazonaws.com', 'ListBuckets'],
    ['sts.amazonaws.com', 'GetCallerIdentity'],
    ['iam.amazonaws.com', 'ListUsers'],
  ] as const;
  for (let hour = start; hour < end; hour += HOUR) {
    for (const region of SANDBOX_REGIONS) {
      const count = 1 + Math.floor(random() * 3);
      for (let n = 0; n < count; n += 1) {
        // One call per region lands exactly on the hour: window boundaries must be exact.
        const at = n === 0 && region === 'eu-west-1' ? hour : hour + Math.floor(random() * HOUR);
        const [source, name] = pick(reads);
        // Only people who never leave: a leaver's identity calling after the end would be planted activity.
        emit(at, source, name, identity(pick(['alice', 'bob', 'carol'])), null, { readOnly: true }, region);
      }
    }
  }

  // Joiners and leavers: the company's people with an IAM user, removed as its lifecycle plants.
  const planted = plantPeopleLifecycle(company, { start, end }, account, emailTag, (at, name, params) =>
    iamWrite(at, name, params),
  );
  joiners.push(...planted.joiners);
  leavers.push(...planted.leavers);

  // Policy changes through the year, and failed attempts that changed nothing.
  for (let day = firstDay + 4 * DAY; day < end - 12 * DAY; day += 29 * DAY) {
    const at = day + 14 * HOUR + Math.floor(random() * HOUR);
    iamWrite(at, 'AttachGroupPolicy', { groupName: 'developers', policyArn: POLICY('IAMReadOnlyAccess') });
    iamWrite(at + 7 * DAY, 'DetachGroupPolicy', {
      groupName: 'developers',
      policyArn: POLICY('IAMReadOnlyAccess'),
    });
    iamWrite(at + 3 * DAY, 'CreatePolicyVersion', {
      policyArn: `arn:aws:iam::${account}:policy/ci-deploy`,
      setAsDefault: true,
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::bucket-${day}` }],
      }),
    });
    iamWrite(
      at + 4 * DAY,
      'AttachUserPolicy',
      { userName: 'bob', policyArn: POLICY('AdministratorAccess') },
      identity('bob'),
      {
        errorCode: 'AccessDenied',
        errorMessage: 'User bob is not authorized to perform iam:AttachUserPolicy',
      },
    );
  }
  const mid = firstDay + Math.floor(options.days / 2) * DAY + 11 * HOUR;
  iamWrite(mid, 'AddUserToGroup', { userName: 'bob', groupName: 'admins' });
  iamWrite(mid + 10 * DAY, 'RemoveUserFromGroup', { userName: 'bob', groupName: 'admins' });
  iamWrite(mid + 2 * DAY, 'CreateRole', {
    roleName: 'data-export',
    assumeRolePolicyDocument: TRUST_ACCOUNT(account),
  });
  iamWrite(mid + 2 * DAY + 60_000, 'AttachRolePolicy', {
    roleName: 'data-export',
    policyArn: POLICY('AmazonS3ReadOnlyAccess'),
  });
  iamWrite(mid + 3 * DAY, 'UpdateAssumeRolePolicy', {
    roleName: 'deploy',
    policyDocument: TRUST_ACCOUNT(account),
  });
  iamWrite(mid + 4 * DAY, 'PutUserPolicy', {
    userName: 'carol',
    policyName: 'billing',
    policyDocument: '{"Version":"2012-10-17","Statement":[]}',
  });
  // Sign-ins: weekly admin logins with MFA, one root login, one failure, one without MFA (all inside 90 days).
  for (let day = start + DAY; day < end; day += 7 * DAY)
    login(day + 8 * HOUR + 5 * 60_000, identity('alice'), 'Success', true);
  rootLogins.push(login(end - 20 * DAY + 3 * HOUR, root, 'Success', true).eventID);
  failedLogins.push(
    login(
      end - 15 * DAY + 2 * HOUR,
      {
        type: 'IAMUser',
        principalId: account,
        accountId: account,
        userName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      },
      'Failure',
      false,
    ).eventID,
  );
  loginsWithoutMfa.push(login(end - 10 * DAY + 13 * HOUR, identity('carol'), 'Success', false).eventID);
  plantIdentityStoreLifecycle(company, { start, end }, (at, name, params, response) => {
    const record = emit(at, 'identitystore.amazonaws.com', name, identity('alice'), params, {
      responseElements: response,
    });
    accessChanges.push({ eventId: record.eventID, eventName: name, effective: true });
  });

  // The logging outage: nothing at all is recorded between StopLogging and StartLogging.
  const trail = { name: `arn:aws:cloudtrail:us-east-1:${account}:trail/management-events` };
  const kept = events.filter((record) => {
    const at = Date.parse(record.eventTime);
    return at < outage.start || at >= outage.end;
  });
  events.length = 0;
  events.push(...kept);
  emit(outage.start, 'cloudtrail.amazonaws.com', 'StopLogging', identity('alice'), trail);
  emit(outage.end, 'cloudtrail.amazonaws.com', 'StartLogging', identity('alice'), trail);

  const survivors = new Set(events.map((record) => record.eventID));
  events.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventID.localeCompare(b.eventID));
  return {
    accountId: account,
    period: { start, end },
    events,
    accessChanges: accessChanges.filter((change) => survivors.has(change.eventId)),
    joiners: joiners.filter((joiner) => survivors.has(joiner.eventId)),
    leavers: leavers.filter((leaver) => survivors.has(leaver.eventId)),
    outage,
    rootLogins,
    failedLogins,
    loginsWithoutMfa,
    initialState: () => initialState(account, start, company, emailTag),
    company,
    emailTag,
  };
}

const timesOf = new WeakMap<GroundTruth, Float64Array>();
function eventTimes(truth: GroundTruth): Float64Array {
  let times = timesOf.get(truth);
  if (!times) {
    times = Float64Array.from(truth.events, (record) => Date.parse(record.eventTime));
    timesOf.set(truth, times);
  }
  return times;
}

/** The IAM state at `at`: the initial state with every effective event before `at` applied. */
export function stateAt(truth: GroundTruth, at: number): SandboxState {
  const state = truth.initialState();
  const times = eventTimes(truth);
  for (let index = 0; index < truth.events.length; index += 1) {
    if ((times[index] as number) >= at) break;
    applyEvent(state, truth.events[index] as SandboxRecord);
  }
  return state;
}

import { describe, expect, it } from 'vitest';
import { generateHistory, stateAt } from '../../src/sandbox/aws/account-history.js';
import { centreUserId, identityCenterAt } from '../../src/sandbox/aws/identity-center-api.js';
import {
  buildCompany,
  FORGOTTEN_IAM_LEAVER,
  GAP_LEAVER,
  IAM_WITHOUT_MFA,
  LATE_GITHUB_LEAVER,
  leaverAccessTruth,
  mfaTruth,
  PLANTED_COLLECTION_GAP,
  type LeaverAccessTruth,
} from '../../src/sandbox/company/index.js';
import { membersAt } from '../../src/sandbox/github/membership.js';
import { buildCommitModel } from '../../src/sandbox/github/org-model.js';
import { buildAdminLog } from '../../src/sandbox/google/admin-log.js';
import { googleUsersAt } from '../../src/sandbox/google/model.js';
import { oktaFactorsAt, oktaUsersAt } from '../../src/sandbox/okta/model.js';
import { buildSystemLog } from '../../src/sandbox/okta/system-log.js';
import { DAY } from '../../src/time.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const SEED = 7;
const ACCOUNT = '123456789012';
const company = buildCompany({ seed: SEED, now: NOW, days: 365 });
const aws = generateHistory({ seed: SEED, now: NOW, days: 365, accountId: ACCOUNT });
const truth = leaverAccessTruth(company, { awsAccountId: ACCOUNT });
const firstOf = (row: LeaverAccessTruth) => company.byId(row.employeeId).firstName.toLowerCase();

/** Whether the sandbox for the row's system still grants the leaver access at `at`. */
function sandboxGrants(row: LeaverAccessTruth, at: number): boolean {
  switch (row.system) {
    case 'Okta':
      return oktaUsersAt(company, at).some((u) => u.profile.login === row.account && u.status === 'ACTIVE');
    case 'Google Workspace':
      return googleUsersAt(company, at).some((u) => u.primaryEmail === row.account && u.suspended === false);
    case 'GitHub':
      return membersAt(company, at).some((m) => m.login === row.account);
    case 'AWS IAM':
      return stateAt(aws, at + 1).users.has(row.account.split('/')[1] ?? '');
    case 'AWS IAM Identity Center':
      return identityCenterAt(company, at).users.some((u) => u.userName === row.account);
  }
}

/** The source event the sandbox records for the removal, if any: its exact time. */
function eventTime(row: LeaverAccessTruth): number | undefined {
  const user = company.byId(row.employeeId);
  if (row.system === 'Okta')
    return buildSystemLog(company)
      .filter((e) => e.eventType === row.event && e.target.some((t) => t.alternateId === user.oktaLogin))
      .map((e) => Date.parse(e.published))[0];
  if (row.system === 'Google Workspace')
    return buildAdminLog(company, `admin@${company.domain}`)
      .filter(
        (a) =>
          a.events[0]?.name === row.event && a.events[0].parameters.some((p) => p.value === user.googleEmail),
      )
      .map((a) => Date.parse(a.id.time))[0];
  if (row.system === 'AWS IAM')
    return aws.events
      .filter(
        (e) =>
          e.eventSource === 'iam.amazonaws.com' &&
          e.eventName === row.event &&
          e.requestParameters?.userName === user.iamUser,
      )
      .map((e) => Date.parse(e.eventTime))[0];
  if (row.system === 'AWS IAM Identity Center')
    return aws.events
      .filter(
        (e) =>
          e.eventSource === 'identitystore.amazonaws.com' &&
          e.eventName === row.event &&
          e.requestParameters?.userId === centreUserId(row.account),
      )
      .map((e) => Date.parse(e.eventTime))[0];
  return undefined;
}

describe('the planted lifecycle ground truth of the company', () => {
  it('has a row for every leaver of the period in every system where the leaver had an account', () => {
    const leavers = company.events.filter((e) => e.kind === 'leaver' && e.at >= company.period.start);
    expect(new Set(truth.map((row) => row.employeeId))).toEqual(new Set(leavers.map((e) => e.employeeId)));
    for (const leaver of leavers) {
      const person = company.byId(leaver.employeeId);
      const systems = truth.filter((row) => row.employeeId === person.employeeId).map((row) => row.system);
      expect(systems.length, person.email).toBe(person.iamUser ? 5 : 3);
    }
  });

  it('says when each sandbox ended the access: granted just before, gone from then on', () => {
    for (const row of truth) {
      const label = `${row.system} ${row.account}`;
      if (row.accessEndedAt === null) {
        expect(sandboxGrants(row, company.period.end - 1), label).toBe(true);
        continue;
      }
      expect(sandboxGrants(row, row.leftAt - 1), label).toBe(true);
      expect(sandboxGrants(row, row.accessEndedAt - 1), label).toBe(true);
      expect(sandboxGrants(row, row.accessEndedAt), label).toBe(false);
      expect(row.delayMs, label).toBe(row.accessEndedAt - row.leftAt);
    }
  });

  it('names the source event of a removal exactly where the sandbox records one, at the same moment', () => {
    for (const row of truth) {
      const at = eventTime(row);
      if (row.event === null) expect(at, `${row.system} ${row.account}`).toBeUndefined();
      else expect(at, `${row.system} ${row.account}`).toBe(row.accessEndedAt);
    }
  });

  it('plants one late GitHub removal, one leaver never removed from IAM and one removal inside the collection gap', () => {
    const findings = truth
      .filter((row) => row.plantedFinding !== null)
      .map((row) => `${row.system} ${firstOf(row)} ${row.plantedFinding}`)
      .sort();
    expect(findings).toEqual(
      [
        `AWS IAM ${FORGOTTEN_IAM_LEAVER} not_removed`,
        `AWS IAM ${GAP_LEAVER.first} removal_not_evidenced`,
        `GitHub ${LATE_GITHUB_LEAVER.first} removed_late`,
      ].sort(),
    );
    const late = truth.find((row) => row.plantedFinding === 'removed_late')!;
    expect(late.delayMs).toBe(3 * DAY + 0);
    const forgotten = truth.find((row) => row.plantedFinding === 'not_removed')!;
    const user = stateAt(aws, company.period.end).users.get(forgotten.account.split('/')[1]!);
    expect(
      user?.keys.some((key) => key.active),
      'the access key is still active',
    ).toBe(true);
    const gap = truth.find((row) => row.plantedFinding === 'removal_not_evidenced')!;
    expect(gap.collectionGap).toEqual({
      stream: PLANTED_COLLECTION_GAP.stream,
      start: company.period.end - 40 * DAY,
      end: company.period.end - 38 * DAY,
    });
    expect(gap.accessEndedAt).toBeGreaterThanOrEqual(gap.collectionGap!.start);
    expect(gap.accessEndedAt).toBeLessThan(gap.collectionGap!.end);
  });

  it('moves with the SLA: a 4-day SLA plants no late removal', () => {
    const lenient = leaverAccessTruth(company, { awsAccountId: ACCOUNT, slaMs: 4 * DAY });
    expect(lenient.filter((row) => row.plantedFinding === 'removed_late')).toEqual([]);
  });

  it('plants no activity after termination: no commit, merge or review by a removed member, no CloudTrail call by a deleted user', () => {
    const model = buildCommitModel({
      seed: SEED,
      now: NOW,
      days: 365,
      repos: 3,
      commitsPerDay: 2,
      bigRepoCommits: 0,
      org: 'acme',
    });
    const removed = truth.filter((row) => row.system === 'GitHub' && row.accessEndedAt !== null);
    expect(removed.length).toBeGreaterThan(1);
    for (const row of removed) {
      const after = model.repositories
        .flatMap((repo) => repo.commits)
        .filter((commit) => commit.committedAt >= row.accessEndedAt!)
        .filter(
          (commit) =>
            commit.author === row.account ||
            commit.pr?.mergedBy === row.account ||
            commit.pr?.reviews.some((review) => review.reviewer === row.account),
        );
      expect(
        after.map((commit) => commit.sha),
        row.account,
      ).toEqual([]);
    }
    for (const row of truth.filter((r) => r.system === 'AWS IAM' && r.accessEndedAt !== null)) {
      const name = row.account.split('/')[1];
      const calls = aws.events.filter(
        (e) => e.userIdentity.userName === name && Date.parse(e.eventTime) > row.accessEndedAt!,
      );
      expect(
        calls.map((e) => e.eventName),
        row.account,
      ).toEqual([]);
    }
  });

  it('gives the MFA of every active person in every system as the sandboxes serve it', () => {
    const at = company.period.end - 1;
    const rows = mfaTruth(company, { awsAccountId: ACCOUNT });
    const okta = oktaUsersAt(company, at);
    const google = googleUsersAt(company, at);
    const github = membersAt(company, at);
    const iam = stateAt(aws, at).users;
    for (const row of rows) {
      const label = `${row.system} ${row.account}`;
      let served: boolean | undefined;
      if (row.system === 'Okta') {
        const user = okta.find((u) => u.profile.login === row.account)!;
        served = oktaFactorsAt(company, user.id, at).some((f) => f.status === 'ACTIVE');
      } else if (row.system === 'Google Workspace')
        served = google.find((u) => u.primaryEmail === row.account)?.isEnrolledIn2Sv as boolean | undefined;
      else if (row.system === 'GitHub') served = github.find((m) => m.login === row.account)?.twoFactor;
      else if (row.system === 'AWS IAM') served = iam.get(row.account.split('/')[1]!)?.mfa;
      expect(served, label).toBe(row.mfa);
    }
    const without = rows.filter((row) => !row.mfa).map((row) => `${row.system} ${row.employeeId}`);
    const grace = [...company.withoutMfa][0]!;
    const carol = company.people.find((p) => p.firstName.toLowerCase() === IAM_WITHOUT_MFA)!;
    expect(without.sort()).toEqual(
      [
        `Okta ${grace}`,
        `Google Workspace ${grace}`,
        `GitHub ${grace}`,
        `AWS IAM ${grace}`,
        `AWS IAM ${carol.employeeId}`,
      ].sort(),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { branchProtection } from '../../checks/branch-protection.js';
import { iamCredentials } from '../../checks/iam-credentials.js';
import { loggingOperated } from '../../checks/logging-operated.js';
import { orgTwoFactor } from '../../checks/org-two-factor.js';
import type { Finding } from '../../src/checks/check.js';
import { DAY } from '../../src/time.js';
import { judgeItems, type MemoryItem } from '../support/memory-facts.js';

/**
 * The checks over daily (or hourly) snapshots name what each finding is about in `subject`, the same on
 * every observation: the register's Conditions view groups on it, so a condition seen for 90 days is one row.
 */
const START = Date.UTC(2026, 8, 1);
const days = (count: number, item: (day: number, at: number) => MemoryItem) =>
  Array.from({ length: count }, (_, day) => item(day, START + day * DAY));
const subjects = (findings: readonly Finding[]) =>
  [...new Set(findings.map((finding) => `${finding.code} ${finding.subject ?? '(none)'}`))].sort();

describe('snapshot checks give a repeating finding the same subject every day', () => {
  it('iam-credentials: the IAM user, and the credential where the finding is about one', async () => {
    const report = (user: string, at: number) => ({
      user,
      arn: `arn:aws:iam::123456789012:user/${user}`,
      reportGeneratedAt: new Date(at).toISOString(),
      isRoot: false,
      createdAt: '2025-01-01T00:00:00Z',
      consoleAccess: true,
      mfaActive: false,
      passwordLastUsed: '2025-06-01T00:00:00Z',
      passwordLastChanged: null,
      accessKeys: [1, 2].map((slot) => ({
        slot,
        active: true,
        lastRotated: '2025-01-01T00:00:00Z',
        lastUsed: null,
      })),
    });
    const findings = await judgeItems(iamCredentials, {
      'aws-credential-report': days(3, (day, at) => ({
        key: `${day}/123456789012/bob`,
        occurredAt: at,
        payload: report('bob', at),
      })),
    });
    expect(findings).toHaveLength(3 * 6);
    const bob = 'arn:aws:iam::123456789012:user/bob';
    expect(subjects(findings)).toEqual([
      `ACCESS_KEY_OLD ${bob} access key 1`,
      `ACCESS_KEY_OLD ${bob} access key 2`,
      `CONSOLE_USER_WITHOUT_MFA ${bob}`,
      `CREDENTIAL_UNUSED ${bob} access key 1`,
      `CREDENTIAL_UNUSED ${bob} access key 2`,
      `CREDENTIAL_UNUSED ${bob} password`,
    ]);
  });

  it('branch-protection: the repository', async () => {
    const state = {
      protected: true,
      requiredApprovals: 0,
      enforceAdmins: true,
      forcePushesAllowed: false,
      bypassActors: [],
      rulesets: [1],
      classicProtection: false,
    };
    const findings = await judgeItems(branchProtection, {
      'github-branch-protection': ['acme/web', 'acme/api'].flatMap((repo) =>
        days(3, (day, at) => ({
          key: `${day}/${repo}`,
          occurredAt: at,
          payload: { type: 'observation', repo, state },
        })),
      ),
    });
    expect(findings).toHaveLength(6);
    expect(subjects(findings)).toEqual([
      'approvals_not_required acme/api',
      'approvals_not_required acme/web',
    ]);
  });

  it('org-two-factor: the login', async () => {
    const findings = await judgeItems(orgTwoFactor, {
      'github-org-access': days(3, (day, at) => ({
        key: `${day}/grace`,
        occurredAt: at,
        payload: { type: 'observation', login: 'grace', twoFactor: 'disabled' },
      })),
    });
    expect(findings).toHaveLength(3);
    expect(subjects(findings)).toEqual(['member_without_2fa grace']);
  });

  it('logging-operated: the account and region of each silent hour', async () => {
    const findings = await judgeItems(loggingOperated, {
      'aws-cloudtrail-log-samples': [0, 1, 2].map((hour) => ({
        key: `123456789012/eu-west-1/${hour}`,
        occurredAt: START + hour * 3_600_000,
        payload: {
          account: '123456789012',
          region: 'eu-west-1',
          hourStart: new Date(START + hour * 3_600_000).toISOString(),
          eventCount: 0,
        },
      })),
    });
    expect(findings).toHaveLength(3);
    expect(subjects(findings)).toEqual(['NO_EVENTS_LOGGED 123456789012/eu-west-1']);
  });
});

import { expect, test } from 'vitest';
import { awsConfigSchema } from '../../connectors/aws/config.js';
import { awsConnector } from '../../connectors/aws/index.js';
import { accessChangesStream } from '../../connectors/aws/streams/access-changes.js';
import { iamStateStream } from '../../connectors/aws/streams/iam-state.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';

const account = (cloudtrail: Record<string, unknown>) => ({
  id: '123456789012',
  regions: ['eu-west-1'],
  cloudtrail,
});

test('config errors name the field and what was expected', () => {
  const parsed = awsConfigSchema.safeParse({
    accounts: [{ id: '12345', regions: ['mars'], cloudtrail: { source: 'ftp' } }],
  });
  expect(parsed.success).toBe(false);
  const issues = parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  expect(issues).toEqual([
    'accounts.0.id: expected a 12-digit AWS account id (quote it in YAML)',
    'accounts.0.regions.0: expected a region like "eu-west-1"',
    'accounts.0.cloudtrail.source: expected cloudtrail.source to be "lookup", "s3" or "dir"',
  ]);
  const defaults = awsConfigSchema.parse({ accounts: [account({ source: 'lookup' })] });
  expect(defaults).toMatchObject({ concurrency: 2, sampleSize: 10, credentialReportPollMs: 250 });
  const badPoll = awsConfigSchema.safeParse({
    accounts: [account({ source: 'lookup' })],
    credentialReportPollMs: -1,
  });
  expect(badPoll.success ? [] : badPoll.error.issues.map((issue) => issue.path.join('.'))).toEqual([
    'credentialReportPollMs',
  ]);
  // Judgements moved to checks: the old keys name where they went.
  const moved = awsConfigSchema.safeParse({
    accounts: [account({ source: 'lookup' })],
    accessKeyAgeDays: 30,
  });
  expect(moved.success ? [] : moved.error.issues.map((issue) => issue.message)).toEqual([
    'moved to checks.iam-credentials.accessKeyAgeDays (a check policy since 0.2)',
  ]);
});

test('retention follows the event source: 90 days for LookupEvents, the bucket for trail files', () => {
  const retention = (...sources: Record<string, unknown>[]) =>
    accessChangesStream.retention(awsConfigSchema.parse({ accounts: sources.map(account) }));
  expect(retention({ source: 'lookup' })).toEqual({
    kind: 'days',
    days: 90,
    reason: 'CloudTrail LookupEvents keeps 90 days of management events',
  });
  expect(retention({ source: 's3', bucket: 'b' }, { source: 'lookup' }).kind).toBe('days');
  expect(retention({ source: 's3', bucket: 'b' }).kind).toBe('forever');
  expect(retention({ source: 'dir', path: '/x', retentionDays: 400 })).toMatchObject({
    kind: 'days',
    days: 400,
  });
  expect(
    iamStateStream.retention(awsConfigSchema.parse({ accounts: [account({ source: 'lookup' })] })).kind,
  ).toBe('snapshot');
});

test('every stream cites criteria and controls the catalogue knows', () => {
  const catalogue = Catalogue.load();
  expect(awsConnector.streams.map((stream) => stream.id)).toEqual([
    'aws-iam-state',
    'aws-identity-center-state',
    'aws-credential-report',
    'aws-cloudtrail-access-changes',
    'aws-cloudtrail-log-samples',
    'aws-cloudtrail-security-events',
    'aws-trail-status',
    'aws-cloudtrail-digests',
  ]);
  for (const stream of awsConnector.streams) {
    for (const id of stream.criteria) expect(catalogue.isCriterion(id), id).toBe(true);
    for (const id of stream.isoControls) expect(catalogue.isControl(id), id).toBe(true);
  }
});

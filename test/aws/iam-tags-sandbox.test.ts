import { afterAll, beforeAll, expect, test } from 'vitest';
import { awsIamStateAdapter } from '../../checks/people/adapters/aws-iam-state.js';
import { iamStateStream } from '../../connectors/aws/streams/iam-state.js';
import { ORPHAN_IAM_USER } from '../../src/sandbox/aws/people-iam.js';
import { startAwsSandbox, type AwsSandbox } from '../../src/sandbox/aws/index.js';
import { hasAccessAt } from '../../src/sandbox/company/index.js';
import { DAY } from '../../src/time.js';
import { awsClient, awsSection, collectAll } from './support.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const TAG = 'work-email';
let sandbox: AwsSandbox;
beforeAll(async () => {
  sandbox = await startAwsSandbox({ seed: 7, now: NOW, days: 60, iamEmailTag: TAG });
});
afterAll(() => sandbox?.stop());

test('IAM users are the company people tagged with their work email under the configured key, and one orphan without', async () => {
  const day = { start: Math.floor(NOW / DAY) * DAY - DAY, end: Math.floor(NOW / DAY) * DAY };
  const section = awsSection({ url: sandbox.url, regions: ['us-east-1'] });
  const { items } = await collectAll(iamStateStream, day, awsClient(section));
  const users = items.filter((item) => item.payload.kind === 'user');
  const company = sandbox.groundTruth.company;
  const people = company.people.filter((p) => hasAccessAt(company, p, 'AWS IAM', NOW));
  expect(people.length).toBeGreaterThan(5);
  // The register reads the same key: each tag links to the person, the orphan to nobody.
  const adapter = awsIamStateAdapter(TAG);
  const links = users
    .flatMap((item) => adapter.toAccounts(adapter.schema.parse(item.payload)))
    .map((account) => `${account.logins[0]} ${account.emails[0] ?? '(no email)'}`)
    .sort();
  expect(links).toEqual(
    [...people.map((p) => `${p.iamUser} ${p.email}`), `${ORPHAN_IAM_USER} (no email)`].sort(),
  );
  expect(awsIamStateAdapter('email').toAccounts(users[0]!.payload as never)[0]?.emails).toEqual([]);
});

import { afterEach, describe, expect, it } from 'vitest';
import { prepareItem } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, HOUR } from '../../src/time.js';
import { freshStore } from '../support/stores.js';
import { ACCOUNT, day, PERIOD, plantedLeaverRows, START, write } from './support/world.js';

let store: EvidenceStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const ERIN = 'erin@acme.test';
const ERIN_ID = 'u-6572696e4061';
const ZOE = 'zoe@acme.test';
// Erin leaves on day 9; Identity Center deletes her on day 10 at 14:00 (CloudTrail names only her user id).
const DELETED_AT = START + 10 * DAY + 14 * HOUR;

async function plant(withTrail: boolean): Promise<Set<string>> {
  ({ store } = await freshStore('sqlite'));
  for (let n = 0; n < 20; n += 1) {
    const window = { start: START + n * DAY, end: START + (n + 1) * DAY };
    // Zoe stays: a day's snapshot lists the users there were.
    const users = n <= 10 ? [ERIN, ZOE] : [ZOE];
    await write(
      store,
      'aws-identity-center-state',
      window,
      users.map((name) =>
        prepareItem({
          key: `${day(n)}/${ACCOUNT}/user/${name}`,
          occurredAt: window.start + 6 * HOUR,
          payload: {
            kind: 'user',
            account: ACCOUNT,
            day: day(n),
            userName: name,
            userId: name === ERIN ? ERIN_ID : 'u-7a6f65406163',
            displayName: name,
            emails: [name],
            groups: ['Developers'],
            assignments: [],
          },
        }),
      ),
    );
  }
  await write(store, 'hr-workforce', { start: START + 19 * DAY, end: START + 20 * DAY }, [
    prepareItem({
      key: `${day(19)}/E5`,
      occurredAt: START + 19 * DAY + HOUR,
      payload: {
        kind: 'employee',
        day: day(19),
        employeeId: 'E5',
        email: ERIN,
        name: 'erin',
        startDate: day(-100),
        endDate: day(9),
      },
    }),
  ]);
  const collected = new Set(['aws-identity-center-state', 'hr-workforce']);
  if (withTrail) {
    collected.add('aws-cloudtrail-access-changes');
    await write(store, 'aws-cloudtrail-access-changes', PERIOD, [
      prepareItem({
        key: 'trail-erin-delete',
        occurredAt: DELETED_AT,
        payload: {
          account: ACCOUNT,
          region: 'us-east-1',
          eventId: 'trail-erin-delete',
          eventTime: new Date(DELETED_AT).toISOString(),
          eventName: 'DeleteUser',
          eventSource: 'identitystore.amazonaws.com',
          actor: `arn:aws:iam::${ACCOUNT}:user/alice`,
          target: `user ${ERIN_ID}`,
          effective: true,
          errorCode: null,
          errorMessage: null,
          sourceIp: null,
          requestParameters: { identityStoreId: 'd-9067a1b2c3', userId: ERIN_ID },
        },
      }),
    ]);
  }
  return collected;
}

async function erinRow(collected: Set<string>) {
  const rows = await plantedLeaverRows(store!, collected);
  return rows.find((row) => row.person === ERIN && row.system === 'AWS IAM Identity Center');
}

describe('an Identity Center removal', () => {
  it("takes its exact time from CloudTrail's identitystore DeleteUser, the user id mapped by the snapshots", async () => {
    const row = await erinRow(await plant(true));
    expect(row).toMatchObject({ account: ERIN, accessEndedAt: DELETED_AT, precision: 'minute' });
    expect(row!.delayMs).toBe(DELETED_AT - (START + 9 * DAY));
    expect(row!.evidence).toBe('CloudTrail identitystore DeleteUser trail-erin-delete');
    expect(row!.findings.map((f) => f.code)).toEqual(['removed_late']);
  });

  it('is bounded by the snapshots, to the day, where the access changes are not collected', async () => {
    const row = await erinRow(await plant(false));
    expect(row).toMatchObject({ accessEndedAt: START + 11 * DAY + 6 * HOUR, precision: 'day' });
    expect(row!.evidence).toContain('aws-identity-center-state snapshots');
  });
});

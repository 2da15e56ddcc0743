import { z } from 'zod';
import { defineStream } from '../../../src/stream.js';
import { DAY } from '../../../src/time.js';
import type { AwsClient } from '../client.js';
import type { AwsConfig } from '../config.js';
import { fetchCredentialReport } from '../credential-report.js';
import { dayOf, snapshotRetention } from '../stream-common.js';
import { awsStreams } from '../manifest.js';

export const credentialItemSchema = z.object({
  account: z.string(),
  day: z.string(),
  reportGeneratedAt: z.string(),
  user: z.string(),
  arn: z.string(),
  isRoot: z.boolean(),
  createdAt: z.string().nullable(),
  consoleAccess: z.boolean(),
  mfaActive: z.boolean(),
  passwordLastUsed: z.string().nullable(),
  passwordLastChanged: z.string().nullable(),
  accessKeys: z.array(
    z.object({
      slot: z.number(),
      active: z.boolean(),
      lastRotated: z.string().nullable(),
      lastUsed: z.string().nullable(),
      ageDays: z.number().nullable(),
    }),
  ),
});

export type CredentialItem = z.infer<typeof credentialItemSchema>;

const daysBetween = (from: string | null, to: number) =>
  from ? Math.floor((to - Date.parse(from)) / DAY) : null;

export const credentialReportStream = defineStream<AwsClient, CredentialItem, AwsConfig>({
  ...awsStreams['aws-credential-report'],
  retention: () => snapshotRetention,
  itemSchema: credentialItemSchema,
  populationColumns: [
    { header: 'Day', value: (item) => item.payload.day },
    { header: 'Account', value: (item) => item.payload.account },
    { header: 'User', value: (item) => item.payload.user },
    { header: 'Console access', value: (item) => item.payload.consoleAccess },
    { header: 'MFA', value: (item) => item.payload.mfaActive },
    { header: 'Password last used', value: (item) => item.payload.passwordLastUsed },
    {
      header: 'Oldest active key (days)',
      value: (item) =>
        Math.max(-1, ...item.payload.accessKeys.filter((k) => k.active).map((k) => k.ageDays ?? -1)),
    },
  ],
  async *collect(window, _cursor, ctx) {
    const day = dayOf(window.start);
    for (const clients of ctx.client.accounts) {
      const account = clients.account.id;
      const report = await fetchCredentialReport(
        clients.iam,
        account,
        ctx.signal,
        ctx.client.config.credentialReportPollMs,
      );
      for (const row of report.rows) {
        yield {
          key: `${day}/${account}/${row.user}`,
          occurredAt: window.start,
          payload: {
            account,
            day,
            reportGeneratedAt: new Date(report.generatedAt).toISOString(),
            user: row.user,
            arn: row.arn,
            isRoot: row.user === '<root_account>',
            createdAt: row.user_creation_time,
            consoleAccess: row.password_enabled,
            mfaActive: row.mfa_active,
            passwordLastUsed: row.password_last_used,
            passwordLastChanged: row.password_last_changed,
            accessKeys: ([1, 2] as const).map((slot) => ({
              slot,
              active: row[`access_key_${slot}_active`],
              lastRotated: row[`access_key_${slot}_last_rotated`],
              lastUsed: row[`access_key_${slot}_last_used_date`],
              ageDays: daysBetween(row[`access_key_${slot}_last_rotated`], report.generatedAt),
            })),
          },
        };
      }
    }
  },
});

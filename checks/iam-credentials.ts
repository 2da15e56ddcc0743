import { z } from 'zod';
import { defineCheck, judgeEachItem, type ItemFinding } from '../src/checks/check.js';
import { DAY } from '../src/time.js';

const STREAM = 'aws-credential-report';

const CODES = {
  ROOT_WITHOUT_MFA: 'the root user has no MFA device',
  CONSOLE_USER_WITHOUT_MFA: 'an IAM user who can sign in to the console has no MFA device',
  ROOT_ACCESS_KEY: 'the root user has an active access key',
  ACCESS_KEY_OLD: 'an active access key is older than the policy allows',
  CREDENTIAL_UNUSED: 'a password or access key has not been used for longer than the policy allows',
} as const;

const factsSchema = z.object({
  user: z.string(),
  // Stored since the first collector; optional so an older payload still parses.
  arn: z.string().optional(),
  reportGeneratedAt: z.string(),
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
    }),
  ),
});
type CredentialFacts = z.infer<typeof factsSchema>;

const policy = z
  .object({
    accessKeyAgeDays: z.number().int().positive().default(90),
    unusedCredentialDays: z.number().int().positive().default(45),
  })
  .strict();
type Policy = z.infer<typeof policy>;

const daysBetween = (from: string | null, to: number) =>
  from ? Math.floor((to - Date.parse(from)) / DAY) : null;

/**
 * Judged at the time the report was generated, never at a clock. Each finding's subject is the user and,
 * where it is about one credential, that credential: the same condition on the next day's report is the
 * same subject, so the register's Conditions view shows it once.
 */
function credentialFindings(row: CredentialFacts, rules: Policy): ItemFinding[] {
  const findings: ItemFinding[] = [];
  const generatedAt = Date.parse(row.reportGeneratedAt);
  const user = row.arn ?? row.user;
  const add = (code: keyof typeof CODES, description: string, credential?: string) =>
    findings.push({ code, description, subject: credential ? `${user} ${credential}` : user });
  if (row.isRoot && !row.mfaActive) add('ROOT_WITHOUT_MFA', 'the root user has no MFA device');
  if (!row.isRoot && row.consoleAccess && !row.mfaActive)
    add('CONSOLE_USER_WITHOUT_MFA', `console user ${row.user} has no MFA device`);
  if (row.consoleAccess) {
    // Never used: count from when the password was set (or the user created).
    const idle = daysBetween(row.passwordLastUsed ?? row.passwordLastChanged ?? row.createdAt, generatedAt);
    if (idle !== null && idle > rules.unusedCredentialDays)
      add(
        'CREDENTIAL_UNUSED',
        `password of ${row.user} unused for ${idle} days (limit ${rules.unusedCredentialDays})`,
        'password',
      );
  }
  for (const key of row.accessKeys) {
    if (!key.active) continue;
    const credential = `access key ${key.slot}`;
    if (row.isRoot) add('ROOT_ACCESS_KEY', `the root user has active access key ${key.slot}`, credential);
    const age = daysBetween(key.lastRotated, generatedAt);
    if (age !== null && age > rules.accessKeyAgeDays)
      add(
        'ACCESS_KEY_OLD',
        `access key ${key.slot} of ${row.user} is ${age} days old (limit ${rules.accessKeyAgeDays})`,
        credential,
      );
    const idle = daysBetween(key.lastUsed ?? key.lastRotated, generatedAt);
    if (idle !== null && idle > rules.unusedCredentialDays)
      add(
        'CREDENTIAL_UNUSED',
        `access key ${key.slot} of ${row.user} unused for ${idle} days (limit ${rules.unusedCredentialDays})`,
        credential,
      );
  }
  return findings;
}

export const iamCredentials = defineCheck<Policy>({
  id: 'iam-credentials',
  version: 1,
  title: 'AWS IAM credentials',
  description:
    'On every observed day, the root user and every console user had MFA, the root user had no access key, and no access key or password was older or longer unused than the policy allows.',
  criteria: ['CC6.1'],
  isoControls: ['A.5.17', 'A.8.5'],
  streams: [STREAM],
  codes: CODES,
  policy,
  judge: judgeEachItem(STREAM, factsSchema, (fact, rules: Policy) => credentialFindings(fact.payload, rules)),
});

import type { IAMClient } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { EvidenceError } from '../../src/errors.js';
import { awsCall, toAwsEvidenceError } from './aws-errors.js';

/** A credential report cell: "N/A", "not_supported", "no_information" mean no value. */
const when = z
  .string()
  .transform((text) => (/^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text).toISOString() : null));
const flag = z
  .enum(['true', 'false', 'TRUE', 'FALSE', 'not_supported'])
  .transform((text) => text.toLowerCase() === 'true');

/** The columns we rely on; https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html */
export const credentialRowSchema = z.object({
  user: z.string().min(1),
  arn: z.string(),
  user_creation_time: when,
  password_enabled: flag,
  password_last_used: when,
  password_last_changed: when,
  mfa_active: flag,
  access_key_1_active: flag,
  access_key_1_last_rotated: when,
  access_key_1_last_used_date: when,
  access_key_2_active: flag,
  access_key_2_last_rotated: when,
  access_key_2_last_used_date: when,
});

export type CredentialRow = z.infer<typeof credentialRowSchema>;

export interface CredentialReport {
  generatedAt: number;
  rows: CredentialRow[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

const NOT_READY = new Set(['CredentialReportNotReadyException', 'ReportInProgress']);
const MISSING = new Set([
  'CredentialReportNotPresentException',
  'ReportNotPresent',
  'CredentialReportExpiredException',
  'ReportExpired',
]);
const MAX_POLLS = 12;

/**
 * Asks IAM for a fresh report and fetches it. Generation is asynchronous: poll with backoff while it is in
 * progress, and generate again when the report is missing or expired (it lasts four hours).
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  account: string,
  signal: AbortSignal,
  pollMs = 250,
): Promise<CredentialReport> {
  const { GenerateCredentialReportCommand, GetCredentialReportCommand } = await import('@aws-sdk/client-iam');
  const what = `iam credential report ${account}`;
  for (let poll = 0; poll < MAX_POLLS; poll += 1) {
    if (poll > 0 && pollMs > 0) await sleep(Math.min(pollMs * 2 ** (poll - 1), 5_000), signal);
    const generated = await awsCall(`${what} (generate)`, () =>
      iam.send(new GenerateCredentialReportCommand({}), { abortSignal: signal }),
    );
    if (generated.State !== 'COMPLETE') continue;
    let response;
    try {
      response = await iam.send(new GetCredentialReportCommand({}), { abortSignal: signal });
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (NOT_READY.has(name) || MISSING.has(name)) continue;
      throw toAwsEvidenceError(error, `${what} (get)`);
    }
    if (!response.Content)
      throw new EvidenceError(
        'AWS_CREDENTIAL_REPORT_EMPTY',
        `${what}: the report has no content`,
        'retriable',
      );
    const text = Buffer.from(response.Content).toString('utf8');
    const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const rows = records.map((record, index) => {
      const parsed = credentialRowSchema.safeParse(record);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new EvidenceError(
          'AWS_CREDENTIAL_REPORT_INVALID',
          `${what}: row ${index + 2} column ${issue?.path.join('.')}: ${issue?.message} (got ${JSON.stringify(record[String(issue?.path[0])])})`,
          'fatal',
        );
      }
      return parsed.data;
    });
    if (!response.GeneratedTime)
      throw new EvidenceError(
        'AWS_CREDENTIAL_REPORT_INVALID',
        `${what}: the report has no GeneratedTime`,
        'fatal',
      );
    return { generatedAt: response.GeneratedTime.getTime(), rows };
  }
  throw new EvidenceError(
    'AWS_CREDENTIAL_REPORT_NOT_READY',
    `${what}: still not ready after ${MAX_POLLS} attempts`,
    'retriable',
  );
}

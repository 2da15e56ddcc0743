import { stateAt, type GroundTruth } from './account-history.js';
import { authorizationEntries, authorizationPage, credentialReportCsv } from './iam-render.js';
import { IAM_NS, STS_NS, xml, type SandboxResponse } from './protocols.js';
import { el, queryError, queryResponse } from './xml.js';

const REPORT_LIFETIME = 4 * 3_600_000;
const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface AssumedRole {
  roleArn: string;
  externalId: string | undefined;
}

/** IAM and STS over the query protocol: form-encoded Action=..., XML answers. */
export function queryApi(truth: GroundTruth, now: () => number, options: { iamPageSize: number }) {
  let report: { generatedAt: number; ready: boolean; csv: string } | undefined;
  const assumed: AssumedRole[] = [];
  // Replaying the year is the costly part; pages of one observation share it.
  let cached: { at: number; state: ReturnType<typeof stateAt> } | undefined;
  const state = () => {
    if (cached?.at !== now()) cached = { at: now(), state: stateAt(truth, now()) };
    return cached.state;
  };
  const id = () => `req-${Math.random().toString(36).slice(2, 10)}`;
  const fail = (status: number, code: string, message: string) =>
    xml(status, queryError(code, message, id()));

  const handle = (params: URLSearchParams): SandboxResponse => {
    const action = params.get('Action') ?? '';
    const ok = (ns: string, body: string) => xml(200, queryResponse(action, ns, body, id()));
    switch (action) {
      case 'GetAccountAuthorizationDetails': {
        const entries = authorizationEntries(state(), truth.accountId, truth.period.start);
        const offset = Number(params.get('Marker') ?? '0');
        const size = Math.min(options.iamPageSize, Number(params.get('MaxItems') ?? '100'));
        return ok(IAM_NS, authorizationPage(entries, offset, size));
      }
      case 'GenerateCredentialReport': {
        // The first call starts generation; a later call finds it complete. An expired report is regenerated.
        if (!report || now() - report.generatedAt > REPORT_LIFETIME) {
          report = {
            generatedAt: now(),
            ready: false,
            csv: credentialReportCsv(state(), truth.accountId, truth.period.start),
          };
          return ok(
            IAM_NS,
            el('State', 'STARTED') +
              el('Description', 'No report exists. Starting a new report generation task'),
          );
        }
        report.ready = true;
        return ok(IAM_NS, el('State', 'COMPLETE'));
      }
      case 'GetCredentialReport':
        if (!report) return fail(410, 'ReportNotPresent', 'Credential report not present.');
        if (!report.ready) return fail(404, 'ReportInProgress', 'Credential report is being generated.');
        if (now() - report.generatedAt > REPORT_LIFETIME)
          return fail(410, 'ReportExpired', 'Credential report has expired.');
        return ok(
          IAM_NS,
          el('Content', Buffer.from(report.csv).toString('base64')) +
            el('ReportFormat', 'text/csv') +
            el('GeneratedTime', iso(report.generatedAt)),
        );
      case 'AssumeRole': {
        const roleArn = params.get('RoleArn') ?? '';
        assumed.push({ roleArn, externalId: params.get('ExternalId') ?? undefined });
        // Expiry is real time: the SDK checks it against its own clock.
        const credentials =
          el('AccessKeyId', 'ASIASANDBOXASSUMED01') +
          el('SecretAccessKey', 'sandbox-secret') +
          el('SessionToken', 'sandbox-session') +
          el('Expiration', iso(Date.now() + 3_600_000));
        return ok(
          STS_NS,
          `<Credentials>${credentials}</Credentials><AssumedRoleUser>${el('Arn', `${roleArn.replace(':role/', ':assumed-role/')}/${params.get('RoleSessionName') ?? 'session'}`)}${el('AssumedRoleId', 'AROASANDBOX:session')}</AssumedRoleUser>`,
        );
      }
      case 'GetCallerIdentity':
        return ok(
          STS_NS,
          el('UserId', 'AIDASANDBOX') +
            el('Account', truth.accountId) +
            el('Arn', `arn:aws:iam::${truth.accountId}:user/auditor`),
        );
      default:
        return fail(400, 'InvalidAction', `the sandbox does not serve ${action}`);
    }
  };
  return { handle, assumed };
}

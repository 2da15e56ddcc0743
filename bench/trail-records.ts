/**
 * Real-shaped CloudTrail trail files for the benches: full records as CloudTrail writes them (userIdentity
 * with sessionContext, requestParameters, responseElements, tlsDetails; about 1.2 KB each), random event
 * IDs, the mix of a busy account's trail (mostly reads and AssumeRole, about 3 % IAM and Identity Center
 * writes), gzipped into the files CloudTrail delivers (one a region and 5 minutes, about 345 a day).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../src/sandbox/seeded-random.js';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const READS = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['s3.amazonaws.com', 'ListBuckets'],
  ['lambda.amazonaws.com', 'ListFunctions20150331'],
  ['iam.amazonaws.com', 'GetRole'],
  ['logs.amazonaws.com', 'DescribeLogGroups'],
  ['ssm.amazonaws.com', 'GetParameter'],
] as const;
const WRITES = [
  ['iam.amazonaws.com', 'AttachRolePolicy'],
  ['iam.amazonaws.com', 'AddUserToGroup'],
  ['iam.amazonaws.com', 'CreateAccessKey'],
  ['iam.amazonaws.com', 'PutRolePolicy'],
  ['sso.amazonaws.com', 'CreateAccountAssignment'],
] as const;
/** The share of IAM and Identity Center writes in the bench's trail (29,325 of 1,000,500 in the issue). */
export const WRITE_SHARE = 0.029;

export interface TrailSet {
  readonly root: string;
  readonly files: string[];
  readonly events: number;
  readonly writes: number;
  readonly bytes: number;
}

/**
 * Writes `events` records over whole UTC days (or into `filesPerDay` files of one day) under
 * root/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/. `recipient` is the account the records name.
 */
export function writeRealTrail(options: {
  root: string;
  account: string;
  recipient?: string;
  day: number;
  events: number;
  filesPerDay?: number;
  seed?: number;
}): TrailSet {
  const { root, account, day, events } = options;
  const recipient = options.recipient ?? account;
  const filesPerDay = options.filesPerDay ?? 345;
  const next = seededRandom(options.seed ?? 7);
  const hex = (digits: number) => {
    let out = '';
    for (let i = 0; i < digits; i += 1) out += Math.floor(next() * 16).toString(16);
    return out;
  };
  const perFile = Math.ceil(events / filesPerDay);
  const span = 86_400_000 / filesPerDay;
  const files: string[] = [];
  let written = 0;
  let writes = 0;
  let bytes = 0;
  for (let file = 0; file < filesPerDay && written < events; file += 1) {
    const region = REGIONS[file % REGIONS.length] as string;
    const from = day + file * span;
    const records: unknown[] = [];
    for (let n = 0; n < perFile && written < events; n += 1, written += 1) {
      // IAM and Identity Center writes are global events: CloudTrail logs them in us-east-1.
      const write = region === 'us-east-1' && next() < WRITE_SHARE * REGIONS.length;
      if (write) writes += 1;
      const [eventSource, eventName] = write
        ? WRITES[Math.floor(next() * WRITES.length)]!
        : READS[Math.floor(next() * READS.length)]!;
      const user = `user${Math.floor(next() * 400)}`;
      const at = new Date(from + Math.floor((n / perFile) * span)).toISOString().replace(/\.\d+Z$/, 'Z');
      records.push({
        eventVersion: '1.09',
        userIdentity: {
          type: 'AssumedRole',
          principalId: `AROA${hex(16).toUpperCase()}:${user}@example.com`,
          arn: `arn:aws:sts::${recipient}:assumed-role/AWSReservedSSO_AdministratorAccess_${hex(16)}/${user}@example.com`,
          accountId: recipient,
          accessKeyId: `ASIA${hex(16).toUpperCase()}`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: `AROA${hex(16).toUpperCase()}`,
              arn: `arn:aws:iam::${recipient}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_${hex(16)}`,
              accountId: recipient,
              userName: 'AWSReservedSSO_AdministratorAccess',
            },
            attributes: { creationDate: at, mfaAuthenticated: 'false' },
          },
        },
        eventTime: at,
        eventSource,
        eventName,
        awsRegion: region,
        sourceIPAddress: `198.51.100.${Math.floor(next() * 250)}`,
        userAgent:
          'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source',
        requestParameters: write
          ? { roleName: `app-${user}`, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', userName: user }
          : { maxResults: 50, filterSet: {}, instancesSet: { items: [{ instanceId: `i-${hex(17)}` }] } },
        responseElements: write ? null : { requestId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` },
        requestID: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        eventID: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
        readOnly: !write,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: recipient,
        eventCategory: 'Management',
        tlsDetails: {
          tlsVersion: 'TLSv1.3',
          cipherSuite: 'TLS_AES_128_GCM_SHA256',
          clientProvidedHostHeader: `${eventSource.split('.')[0]}.${region}.amazonaws.com`,
        },
      });
    }
    // Delivered within 5 to 15 minutes of the file's last event, as CloudTrail does.
    const delivered = new Date(from + span + (5 + Math.floor(next() * 10)) * 60_000);
    const folder = path.join(
      root,
      `AWSLogs/${account}/CloudTrail/${region}/${delivered.toISOString().slice(0, 10).replace(/-/g, '/')}`,
    );
    mkdirSync(folder, { recursive: true });
    const stamp = delivered.toISOString().replace(/[-:]/g, '').slice(0, 13);
    const name = path.join(folder, `${account}_CloudTrail_${region}_${stamp}Z_${hex(16)}.json.gz`);
    const body = gzipSync(JSON.stringify({ Records: records }), { level: 6 });
    writeFileSync(name, body);
    bytes += body.byteLength;
    files.push(name);
  }
  return { root, files, events: written, writes, bytes };
}

import { z } from 'zod';

/**
 * The fields of a CloudTrail record we rely on (the same JSON in trail files and in LookupEvents'
 * CloudTrailEvent). Other fields are dropped: copying them through would cost more than the rest of the
 * validation, and no stream stores them.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export const trailRecordSchema = z.object({
  eventID: z.string().min(1, 'expected the CloudTrail eventID'),
  eventTime: z.string().datetime({ offset: true, message: 'expected an ISO 8601 eventTime' }),
  eventName: z.string().min(1),
  eventSource: z.string().min(1),
  awsRegion: z.string().min(1),
  recipientAccountId: z.string().optional(),
  userIdentity: z
    .object({
      type: z.string().optional(),
      arn: z.string().optional(),
      principalId: z.string().optional(),
      accountId: z.string().optional(),
      userName: z.string().optional(),
      invokedBy: z.string().optional(),
    })
    .default({}),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
  additionalEventData: z.record(z.string(), z.unknown()).nullish(),
  readOnly: z.boolean().optional(),
  managementEvent: z.boolean().optional(),
});

export type TrailRecord = z.infer<typeof trailRecordSchema>;

/** A parsed record with its time as epoch ms. */
export interface TrailEvent {
  readonly id: string;
  readonly at: number;
  readonly record: TrailRecord;
}

export function toTrailEvent(record: TrailRecord): TrailEvent {
  return { id: record.eventID, at: Date.parse(record.eventTime), record };
}

/** Who acted, as an auditor reads it: the ARN, else the identity type and principal. */
export function actorOf(record: TrailRecord): string {
  const who = record.userIdentity;
  if (who.arn) return who.arn;
  if (who.invokedBy) return `${who.type ?? 'service'}:${who.invokedBy}`;
  return [who.type, who.principalId ?? who.userName].filter(Boolean).join(':') || 'unknown';
}

// Request parameters that name what an access change acted upon, in reading order.
const TARGET_FIELDS: readonly [string, string][] = [
  ['userName', 'user'],
  ['groupName', 'group'],
  ['roleName', 'role'],
  ['policyArn', 'policy'],
  ['policyName', 'inline-policy'],
  ['permissionsBoundary', 'boundary'],
  ['accessKeyId', 'access-key'],
  ['serialNumber', 'mfa'],
  ['instanceProfileName', 'instance-profile'],
  ['permissionSetArn', 'permission-set'],
  ['principalType', 'principal-type'],
  ['principalId', 'principal'],
  ['targetId', 'account'],
  ['userId', 'identity-user'],
  ['groupId', 'identity-group'],
  ['memberId', 'member'],
  ['name', 'name'],
];

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value && typeof value === 'object') {
    const inner = (value as Record<string, unknown>).userId ?? (value as Record<string, unknown>).UserId;
    if (typeof inner === 'string') return inner;
  }
  return undefined;
}

/** What was changed: "user:alice group:admins", from the request parameters. */
export function targetOf(record: TrailRecord): string {
  const params = record.requestParameters ?? {};
  const parts: string[] = [];
  for (const [field, label] of TARGET_FIELDS) {
    const value = text(params[field]);
    if (value) parts.push(`${label}:${value}`);
  }
  // CreateAccessKey names the user only implicitly when acting on oneself.
  if (parts.length === 0 && record.userIdentity.userName) parts.push(`user:${record.userIdentity.userName}`);
  return parts.join(' ');
}

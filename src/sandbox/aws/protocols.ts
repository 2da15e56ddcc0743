/** What a handler answers; the server adds faults and writes it. */
export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type Service = 'iam' | 'sts' | 'cloudtrail' | 's3' | 'identitycenter';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function json(status: number, value: unknown, errorType?: string): SandboxResponse {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    },
    body: Buffer.from(JSON.stringify(value)),
  };
}

export function xml(status: number, text: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body: Buffer.from(text) };
}

export function jsonError(status: number, type: string, message: string): SandboxResponse {
  return json(status, { __type: type, message }, type);
}

export function s3Error(status: number, code: string, message: string): SandboxResponse {
  return xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

/** The region a request was signed for: Credential=AKID/20250101/<region>/<service>/aws4_request. */
export function signedRegion(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? '')?.[1] ?? 'us-east-1';
}

export function signedService(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization ?? '')?.[1];
}

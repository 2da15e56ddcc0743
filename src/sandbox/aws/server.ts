import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateHistory, SANDBOX_REGIONS, type GroundTruth } from './account-history.js';
import { cloudtrailApi, LookupThrottle } from './cloudtrail-api.js';
import { createFaults, faultPicker, type FaultKind, type SandboxFaults } from './faults.js';
import type { SandboxRecord } from './iam-model.js';
import {
  json,
  jsonError,
  s3Error,
  signedRegion,
  signedService,
  xml,
  type SandboxResponse,
  type Service,
} from './protocols.js';
import { queryApi, type AssumedRole } from './query-api.js';
import { s3Api } from './s3-api.js';
import { layoutTrailFiles, writeTrailFilesTo, type TrailFile } from './trail-files.js';
import { queryError } from './xml.js';
import { identityCenterApi } from './identity-center-api.js';

export interface AwsSandboxOptions {
  host?: string;
  port?: number;
  seed?: number;
  /** The sandbox's "now" (epoch ms); LookupEvents serves the 90 days before it. Default: the real clock. */
  now?: number;
  /** Days of history before "now"; default 365. */
  days?: number;
  accountId?: string;
  bucket?: string;
  /** Small pages exercise pagination: IAM entries and S3 keys per page. */
  iamPageSize?: number;
  s3PageSize?: number;
}

export interface AwsSandbox {
  readonly url: string;
  readonly groundTruth: GroundTruth;
  readonly faults: SandboxFaults;
  readonly bucket: string;
  readonly regions: readonly string[];
  /** STS AssumeRole calls received (role and external id), oldest first. */
  readonly assumedRoles: readonly AssumedRole[];
  /** Requests received per service. */
  readonly requests: Record<Service, number>;
  /** LookupEvents requests refused for exceeding 2 per second. */
  lookupThrottled(): number;
  now(): number;
  /** Moves the sandbox clock: IAM state, the credential report, trail status and LookupEvents follow it. */
  setNow(at: number): void;
  trailFiles(): readonly TrailFile[];
  /** Writes the trail files in the standard layout under `dir`; returns how many. */
  writeTrailFiles(dir: string): Promise<number>;
  stop(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function faultResponse(service: Service, kind: Exclude<FaultKind, 'timeout' | 'truncate'>): SandboxResponse {
  const id = 'req-fault';
  if (service === 'cloudtrail' || service === 'identitycenter') {
    if (kind === 'revoked')
      return jsonError(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    if (kind === 'throttle') return jsonError(400, 'ThrottlingException', 'Rate exceeded');
    return jsonError(500, 'InternalFailure', 'internal failure');
  }
  if (service === 's3') {
    if (kind === 'revoked')
      return s3Error(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    if (kind === 'throttle') return s3Error(503, 'SlowDown', 'Please reduce your request rate.');
    return s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
  }
  if (kind === 'revoked')
    return xml(
      403,
      queryError('InvalidClientTokenId', 'The security token included in the request is invalid.', id),
    );
  if (kind === 'throttle') return xml(400, queryError('Throttling', 'Rate exceeded', id));
  return xml(500, queryError('ServiceUnavailable', 'Service is unavailable', id, 'Receiver'));
}

/** Starts the fake AWS (IAM, STS, CloudTrail, S3) on loopback; real SDK clients reach it by endpoint override. */
export async function startAwsSandbox(options: AwsSandboxOptions = {}): Promise<AwsSandbox> {
  const seed = options.seed ?? 1;
  let now = options.now ?? Date.now();
  const truth = generateHistory({
    seed,
    now,
    days: options.days ?? 365,
    accountId: options.accountId ?? '123456789012',
  });
  const bucket = options.bucket ?? 'sandbox-trail';
  const byRegion = new Map<string, SandboxRecord[]>();
  for (const record of truth.events) {
    const list = byRegion.get(record.awsRegion) ?? [];
    list.push(record);
    byRegion.set(record.awsRegion, list);
  }
  let files: TrailFile[] | undefined;
  const trailFiles = () => (files ??= layoutTrailFiles(truth.events, truth.accountId, seed));
  const faults = createFaults();
  const pickFault = faultPicker(seed);
  const requests: Record<Service, number> = { iam: 0, sts: 0, cloudtrail: 0, s3: 0, identitycenter: 0 };
  const clock = () => now;
  const throttle = new LookupThrottle(2);
  const cloudtrail = cloudtrailApi(truth, clock, throttle, byRegion);
  const query = queryApi(truth, clock, { iamPageSize: options.iamPageSize ?? 5 });
  const s3 = s3Api(bucket, trailFiles, options.s3PageSize ?? 100);
  const origin = now;
  const identityCenter = identityCenterApi(clock, origin);

  const route = async (
    request: IncomingMessage,
  ): Promise<{ service: Service; respond: () => SandboxResponse }> => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const body = await readBody(request);
      const operation = target.slice(target.lastIndexOf('.') + 1);
      const region = signedRegion(request.headers.authorization);
      if (/^(AWSIdentityStore|SWBExternalService)\./.test(target))
        return {
          service: 'identitycenter',
          respond: () => identityCenter(operation, JSON.parse(body || '{}') as Record<string, unknown>),
        };
      return {
        service: 'cloudtrail',
        respond: () => cloudtrail(operation, JSON.parse(body || '{}') as Record<string, unknown>, region),
      };
    }
    if (request.method === 'POST') {
      const params = new URLSearchParams(await readBody(request));
      const service =
        signedService(request.headers.authorization) === 'sts' ||
        ['AssumeRole', 'GetCallerIdentity'].includes(params.get('Action') ?? '')
          ? 'sts'
          : 'iam';
      return { service, respond: () => query.handle(params) };
    }
    return { service: 's3', respond: () => s3(url) };
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const { service, respond } = await route(request);
      requests[service] += 1;
      const fault = pickFault(faults);
      if (fault === 'timeout') {
        // Hang, then drop the connection: the client's own timeout must fire first.
        setTimeout(() => response.destroy(), faults.timeoutMs).unref();
        return;
      }
      const answer = fault && fault !== 'truncate' ? faultResponse(service, fault) : respond();
      response.writeHead(answer.status, {
        ...answer.headers,
        'content-length': String(answer.body.length),
        'x-amzn-requestid': 'sandbox',
      });
      if (fault === 'truncate') {
        response.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        setTimeout(() => response.destroy(), 5);
        return;
      }
      response.end(answer.body);
    })().catch((error: unknown) => {
      const answer = json(500, { __type: 'InternalFailure', message: String(error) });
      if (!response.headersSent) response.writeHead(500, answer.headers);
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    groundTruth: truth,
    faults,
    bucket,
    regions: SANDBOX_REGIONS,
    assumedRoles: query.assumed,
    requests,
    lookupThrottled: () => throttle.rejected,
    now: clock,
    setNow(at: number) {
      now = at;
    },
    trailFiles,
    writeTrailFiles: (dir: string) => writeTrailFilesTo(dir, trailFiles()),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateHistory, SANDBOX_REGIONS, type GroundTruth } from './account-history.js';
import { cloudtrailApi, LookupThrottle } from './cloudtrail-api.js';
import {
  generateSigningKey,
  layoutDigests,
  writeDigestsTo,
  type DigestObject,
  type SigningKey,
} from './digests.js';
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
import { createTampering, tamperedLogFiles, type TrailTampering } from './trail-tampering.js';
import { queryError } from './xml.js';
import { identityCenterApi } from './identity-center-api.js';
import { sandboxClock, type SandboxClock } from '../sandbox-clock.js';

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
  /** Days before "now" with log file validation on (digests delivered); default: the whole history. */
  digestDays?: number;
  /** The IAM user tag carrying a person's work email; default `email`. */
  iamEmailTag?: string;
  /** A clock shared with other sandboxes; default: its own, starting at "now". */
  clock?: SandboxClock;
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
  /** The log files the bucket holds now (after any tampering). */
  trailFiles(): readonly TrailFile[];
  /** Writes the trail files in the standard layout under `dir`; returns how many. */
  writeTrailFiles(dir: string): Promise<number>;
  /** The digest files the bucket holds now, signed with the key `ListPublicKeys` publishes. */
  digestFiles(): readonly DigestObject[];
  /** Writes the digests under `dir` with their `.metadata.json` signature sidecars; returns how many. */
  writeDigestFiles(dir: string): number;
  /** Fault hooks on the bucket's log and digest files. */
  readonly tampering: TrailTampering;
  /** The key the sandbox's CloudTrail signs digests with. */
  signingKey(): SigningKey;
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
  const now = options.now ?? Date.now();
  const truth = generateHistory({
    seed,
    now,
    days: options.days ?? 365,
    accountId: options.accountId ?? '123456789012',
    ...(options.iamEmailTag !== undefined ? { emailTag: options.iamEmailTag } : {}),
  });
  const bucket = options.bucket ?? 'sandbox-trail';
  const byRegion = new Map<string, SandboxRecord[]>();
  for (const record of truth.events) {
    const list = byRegion.get(record.awsRegion) ?? [];
    list.push(record);
    byRegion.set(record.awsRegion, list);
  }
  let files: TrailFile[] | undefined;
  const originalFiles = () => (files ??= layoutTrailFiles(truth.events, truth.accountId, seed));
  const tampering = createTampering();
  const cached = <T>(build: () => T) => {
    let at = -1;
    let value: T | undefined;
    return () => {
      if (at !== tampering.version || value === undefined) [value, at] = [build(), tampering.version];
      return value;
    };
  };
  const trailFiles = cached(() =>
    tampering.version === 0 ? originalFiles() : tamperedLogFiles(originalFiles(), tampering),
  );
  // RSA key generation takes a while: only sandboxes whose digests are read pay for it.
  let key: SigningKey | undefined;
  const signingKey = () => (key ??= generateSigningKey());
  let otherKey: SigningKey | undefined;
  // Log file validation on for the whole history unless told otherwise: a year signs ~17,500 digests
  // (about 30 s), paid only by a sandbox whose digests are read.
  const keyPublished = {
    from: options.digestDays === undefined ? truth.period.start : now - options.digestDays * 86_400_000,
    to: now,
  };
  // Digests are made from the log files as delivered; deleting or editing one later leaves its digest as is.
  // Signing is the slow part: digests are re-made only when the set signed with the other key changes.
  let digestsFor: { signedWith: string; digests: DigestObject[] } | undefined;
  const allDigests = () => {
    const signedWith = [...tampering.signedWithOtherKey].sort().join('\n');
    if (digestsFor?.signedWith !== signedWith) digestsFor = { signedWith, digests: makeDigests() };
    return digestsFor.digests;
  };
  const makeDigests = () =>
    layoutDigests(originalFiles(), {
      account: truth.accountId,
      bucket,
      trail: 'management-events',
      homeRegion: 'us-east-1',
      regions: SANDBOX_REGIONS,
      from: keyPublished.from,
      to: keyPublished.to,
      outage: truth.outage,
      key: signingKey(),
      ...(tampering.signedWithOtherKey.size > 0
        ? { otherKey: (otherKey ??= generateSigningKey()), signedWithOtherKey: tampering.signedWithOtherKey }
        : {}),
    });
  const digestFiles = cached(() => allDigests().filter((d) => !tampering.removedDigests.has(d.key)));
  const bucketObjects = cached(() => [...trailFiles(), ...digestFiles()]);
  const faults = createFaults();
  const pickFault = faultPicker(seed);
  const requests: Record<Service, number> = { iam: 0, sts: 0, cloudtrail: 0, s3: 0, identitycenter: 0 };
  const { now: clock, set: setNow } = options.clock ?? sandboxClock(now);
  const throttle = new LookupThrottle(2);
  const cloudtrail = cloudtrailApi(truth, clock, throttle, byRegion, () => [
    {
      fingerprint: signingKey().fingerprint,
      publicDer: signingKey().publicDer,
      validFrom: keyPublished.from,
      validTo: keyPublished.to + 30 * 86_400_000,
    },
  ]);
  const query = queryApi(truth, clock, { iamPageSize: options.iamPageSize ?? 5 });
  const s3 = s3Api(
    bucket,
    (key) => (key.includes('/CloudTrail/') ? trailFiles() : bucketObjects()),
    options.s3PageSize ?? 100,
  );
  const identityCenter = identityCenterApi(clock, truth.company);

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
    setNow,
    trailFiles,
    writeTrailFiles: (dir: string) => writeTrailFilesTo(dir, trailFiles()),
    digestFiles,
    writeDigestFiles: (dir: string) => writeDigestsTo(dir, digestFiles()),
    tampering,
    signingKey,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

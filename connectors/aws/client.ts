import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { GLOBAL_REGION, type AwsAccount, type AwsConfig } from './config.js';

/** The SDK clients of one account; CloudTrail clients are per region and made on first use. */
export interface AccountClients {
  readonly account: AwsAccount;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  /** Present where the account's config names Identity Center. */
  readonly identityCenter?: {
    readonly identityStore: IdentitystoreClient;
    readonly ssoAdmin: SSOAdminClient;
  };
  cloudtrail(region: string): CloudTrailClient;
}

export interface AwsClient {
  readonly config: AwsConfig;
  readonly accounts: readonly AccountClients[];
}

type Credentials = NonNullable<IAMClientConfig['credentials']>;

/** Keys from the environment given to the worker, else the default chain (profile, SSO, IMDS, ...). */
function baseCredentials(env: NodeJS.ProcessEnv): Credentials {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return fromNodeProviderChain();
}

function accountCredentials(account: AwsAccount, base: Credentials, config: AwsConfig): Credentials {
  if (!account.roleArn) return base;
  // Multi-account organisations: a read-only role per member account, optionally with an external id.
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: account.roleArn,
      RoleSessionName: 'evidence-worker',
      DurationSeconds: 3600,
      ...(account.externalId ? { ExternalId: account.externalId } : {}),
    },
    clientConfig: {
      region: GLOBAL_REGION,
      maxAttempts: config.maxAttempts,
      ...(account.endpoints?.sts ? { endpoint: account.endpoints.sts } : {}),
    },
  });
}

export function createAwsClient(config: AwsConfig, env: NodeJS.ProcessEnv): AwsClient {
  const base = baseCredentials(env);
  const accounts = config.accounts.map((account): AccountClients => {
    const credentials = accountCredentials(account, base, config);
    const common = {
      credentials,
      maxAttempts: config.maxAttempts,
      // Adaptive mode adds client-side rate limiting that backs off on throttling responses.
      retryMode: 'adaptive',
      requestHandler: {
        requestTimeout: config.requestTimeoutMs,
        connectionTimeout: Math.min(config.requestTimeoutMs, 10_000),
        // Without this the SDK only warns and keeps waiting on a hung connection.
        throwOnRequestTimeout: true,
      },
    } as const;
    const endpoints = account.endpoints ?? {};
    const iam = new IAMClient({
      ...common,
      region: GLOBAL_REGION,
      ...(endpoints.iam ? { endpoint: endpoints.iam } : {}),
    });
    const source = account.cloudtrail;
    const s3 = new S3Client({
      ...common,
      region: (source.source === 's3' && source.region) || account.regions[0] || GLOBAL_REGION,
      // A custom endpoint (VPC endpoint, sandbox) serves buckets by path, not by virtual host.
      ...(endpoints.s3 ? { endpoint: endpoints.s3, forcePathStyle: true } : {}),
    });
    const trails = new Map<string, CloudTrailClient>();
    const centre = account.identityCenter;
    const centreRegion = centre?.region ?? account.regions[0] ?? GLOBAL_REGION;
    return {
      account,
      iam,
      s3,
      ...(centre
        ? {
            identityCenter: {
              identityStore: new IdentitystoreClient({
                ...common,
                region: centreRegion,
                ...(endpoints.identitystore ? { endpoint: endpoints.identitystore } : {}),
              }),
              ssoAdmin: new SSOAdminClient({
                ...common,
                region: centreRegion,
                ...(endpoints.ssoAdmin ? { endpoint: endpoints.ssoAdmin } : {}),
              }),
            },
          }
        : {}),
      cloudtrail(region: string) {
        let client = trails.get(region);
        if (!client) {
          client = new CloudTrailClient({
            ...common,
            region,
            ...(endpoints.cloudtrail ? { endpoint: endpoints.cloudtrail } : {}),
          });
          trails.set(region, client);
        }
        return client;
      },
    };
  });
  return { config, accounts };
}

import { createSign } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EvidenceError, UsageError } from '../../src/errors.js';
import { registerSecret } from '../../src/secrets.js';
import type { OktaConfig } from './config.js';

/** Gives the Authorization header for the next request; `refresh` drops a cached access token. */
export interface OktaAuthorizer {
  header(): Promise<string>;
  refresh(): void;
}

function readSecretFile(file: string, field: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    throw new UsageError(`config: connectors.okta.${field}: cannot read "${file}"`);
  }
  if (!text) throw new UsageError(`config: connectors.okta.${field}: "${file}" is empty`);
  registerSecret(text);
  return text;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A client assertion (RFC 7523) signed with the service app's private key, valid five minutes. */
function clientAssertion(clientId: string, audience: string, privateKey: string, keyId?: string): string {
  const now = Math.floor(Date.now() / 1_000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) }));
  const claims = base64url(
    JSON.stringify({
      iss: clientId,
      sub: clientId,
      aud: audience,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
  return `${header}.${claims}.${base64url(signature)}`;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });

function oauthAuthorizer(
  config: OktaConfig,
  oauth: NonNullable<OktaConfig['oauth']>,
  env: NodeJS.ProcessEnv,
) {
  const privateKey = oauth.privateKeyFile
    ? readSecretFile(oauth.privateKeyFile, 'oauth.privateKeyFile')
    : env.OKTA_PRIVATE_KEY?.trim();
  if (!privateKey)
    throw new UsageError(
      'config: connectors.okta.oauth: no private key: set connectors.okta.oauth.privateKeyFile or OKTA_PRIVATE_KEY',
    );
  registerSecret(privateKey);
  const tokenUrl = `${config.orgUrl.replace(/\/$/, '')}/oauth2/v1/token`;
  let cached: { token: string; until: number } | undefined;
  return {
    refresh: () => {
      cached = undefined;
    },
    async header() {
      if (cached && cached.until > Date.now()) return `Bearer ${cached.token}`;
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        scope: oauth.scopes.join(' '),
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion(oauth.clientId, tokenUrl, privateKey, oauth.keyId),
      });
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (!response.ok)
        throw new EvidenceError(
          response.status >= 500 ? `HTTP_${response.status}` : 'AUTH_INVALID',
          `Okta token endpoint refused the service app (${response.status}): ${text.slice(0, 200)}`,
          response.status >= 500 ? 'retriable' : 'fatal',
        );
      const answer = tokenAnswer.parse(JSON.parse(text));
      registerSecret(answer.access_token);
      // Renew a minute early so a long page walk never carries an expired token.
      cached = {
        token: answer.access_token,
        until: Date.now() + ((answer.expires_in ?? 3_600) - 60) * 1_000,
      };
      return `Bearer ${answer.access_token}`;
    },
  };
}

/** The API token (`SSWS`) from a file or OKTA_API_TOKEN, or the OAuth 2.0 service app when configured. */
export function oktaAuthorizer(config: OktaConfig, env: NodeJS.ProcessEnv): OktaAuthorizer {
  if (config.oauth) return oauthAuthorizer(config, config.oauth, env);
  const token = config.tokenFile ? readSecretFile(config.tokenFile, 'tokenFile') : env.OKTA_API_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      'config: connectors.okta: no Okta credentials: set OKTA_API_TOKEN, or connectors.okta.tokenFile, or connectors.okta.oauth',
    );
  registerSecret(token);
  return { header: async () => `SSWS ${token}`, refresh: () => undefined };
}

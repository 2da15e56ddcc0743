import { readFileSync } from 'node:fs';
import { JWT } from 'google-auth-library';
import { z } from 'zod';
import { UsageError } from '../../src/errors.js';
import { registerSecret } from '../../src/secrets.js';
import { GOOGLE_KEY_ENV, GOOGLE_WORKSPACE_SCOPES, type GoogleWorkspaceConfig } from './config.js';

export { GOOGLE_KEY_ENV };
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

const keySchema = z.object({
  type: z.literal('service_account', 'expected a service account key ("type": "service_account")'),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.string().optional(),
});

function readKey(config: GoogleWorkspaceConfig, env: NodeJS.ProcessEnv) {
  const where = config.keyFile ? 'connectors.google-workspace.keyFile' : GOOGLE_KEY_ENV;
  let text: string | undefined;
  if (config.keyFile) {
    try {
      text = readFileSync(config.keyFile, 'utf8');
    } catch {
      throw new UsageError(`config: connectors.google-workspace.keyFile: cannot read "${config.keyFile}"`);
    }
  } else text = env[GOOGLE_KEY_ENV];
  if (!text?.trim())
    throw new UsageError(
      `config: connectors.google-workspace: no service account key: set connectors.google-workspace.keyFile or ${GOOGLE_KEY_ENV}`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(
      `config: ${where}: expected the service account JSON key, got text that is not JSON`,
    );
  }
  const parsed = keySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `config: ${where}: ${issue?.path.join('.') || 'key'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  registerSecret(parsed.data.private_key);
  return parsed.data;
}

/**
 * A JWT client for domain-wide delegation. google-auth-library posts to Google's token URL; where another
 * token endpoint is configured (the sandbox) its fetch sends that one call there, and nothing else changes.
 */
export function serviceAccountAuth(
  config: GoogleWorkspaceConfig,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): JWT {
  const key = readKey(config, env);
  const tokenUrl = config.tokenUrl ?? key.token_uri ?? GOOGLE_TOKEN_URL;
  const fetchImplementation: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const target = url.startsWith(GOOGLE_TOKEN_URL) ? tokenUrl : input;
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    return fetch(target, { ...init, signal: AbortSignal.any(signals) });
  };
  return new JWT({
    email: key.client_email,
    key: key.private_key,
    ...(key.private_key_id ? { keyId: key.private_key_id } : {}),
    scopes: GOOGLE_WORKSPACE_SCOPES,
    subject: config.subject,
    transporterOptions: { fetchImplementation },
  });
}

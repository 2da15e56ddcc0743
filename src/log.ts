import { pino, type DestinationStream, type Logger } from 'pino';
import { registerEnvironmentSecrets, registerSecret, scrubSecrets } from './secrets.js';

/** Keys whose values never reach a log line, at any depth of the logged object. */
export const REDACTED_KEYS = new Set(
  [
    'token',
    'password',
    'secret',
    'authorization',
    'privatekey',
    'secretaccesskey',
    'sessiontoken',
    'accesskeyid',
    'webhookurl',
    'cookie',
  ].map((key) => key.toLowerCase()),
);

function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    copy[key] = REDACTED_KEYS.has(key.toLowerCase()) ? '[redacted]' : redactDeep(entry, depth + 1);
  }
  return copy;
}

export interface LoggerOptions {
  level?: string;
  env?: NodeJS.ProcessEnv;
  destination?: DestinationStream;
  /** Extra secret values to scrub (tokens read from files). */
  secrets?: readonly string[];
}

/**
 * pino JSON logger. Two layers: secret-named keys are redacted at any depth, and every known secret value
 * is scrubbed from the finished line, because tokens also leak through error messages that no key names.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  registerEnvironmentSecrets(env);
  for (const secret of options.secrets ?? []) registerSecret(secret);
  return pino(
    {
      level: options.level ?? env.LOG_LEVEL ?? 'info',
      base: { service: 'evidence-worker' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      hooks: { streamWrite: (line: string) => scrubSecrets(line) },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

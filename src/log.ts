import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they sit in the object. */
export const REDACTED_KEYS = [
  'token',
  'password',
  'secret',
  'authorization',
  'privateKey',
  'secretAccessKey',
  'sessionToken',
  'accessKeyId',
  'webhookUrl',
];

/** Environment variables whose values are scrubbed from every line, including error messages and stacks. */
export const SECRET_ENV_VARS = [
  'GITHUB_TOKEN',
  'GITHUB_APP_PRIVATE_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'STATUS_TOKEN',
  'ALERT_WEBHOOK_URL',
];

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers.${key}`]);

function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values = SECRET_ENV_VARS.map((name) => env[name]).filter(
    (value): value is string => !!value && value.length >= 6,
  );
  // A password inside a database URL is a secret too.
  for (const url of [env.DATABASE_URL, env.REDIS_URL]) {
    const password = url ? safePassword(url) : undefined;
    if (password && password.length >= 4) values.push(password);
  }
  return values;
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface LoggerOptions {
  level?: string;
  env?: NodeJS.ProcessEnv;
  destination?: DestinationStream;
  /** Extra secret values to scrub (tokens read from files). */
  secrets?: readonly string[];
}

/**
 * pino JSON logger. Two layers: path redaction for structured fields, and a last-line scrub of any known
 * secret value, because tokens also leak through error messages that no path names.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const secrets = [...secretValues(env), ...(options.secrets ?? [])];
  const scrub = secrets.length ? new RegExp(secrets.map(escapeRegExp).join('|'), 'g') : undefined;
  return pino(
    {
      level: options.level ?? env.LOG_LEVEL ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'evidence-worker' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: scrub ? { streamWrite: (line: string) => line.replace(scrub, '[redacted]') } : {},
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

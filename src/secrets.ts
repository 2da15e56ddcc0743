/**
 * The secret values this process knows (tokens from the environment or from files). Everything that leaves
 * the process as text (log lines, ledger error messages, CLI output) passes through `scrubSecrets`.
 */
const known = new Set<string>();
let pattern: RegExp | undefined;

/**
 * The core's secret environment variables, beside any whose name says so; each connector declares its own
 * (`secretEnvVars`), registered when the app opens.
 */
export const SECRET_ENV_VARS = ['STATUS_TOKEN', 'ALERT_WEBHOOK_URL', 'DATABASE_URL', 'REDIS_URL'];
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PRIVATE_KEY|WEBHOOK|CREDENTIAL/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 6 || known.has(value)) return;
  known.add(value);
  // Longest first, so a secret that contains another is hidden whole.
  pattern = new RegExp(
    [...known]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
}

function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv, names: readonly string[] = []): void {
  for (const name of new Set([
    ...SECRET_ENV_VARS.filter((name) => !name.endsWith('_URL')),
    ...names,
    ...Object.keys(env).filter((key) => SECRET_NAME.test(key)),
  ])) {
    registerSecret(env[name]);
  }
  registerSecret(urlPassword(env.DATABASE_URL));
  registerSecret(urlPassword(env.REDIS_URL));
}

export function scrubSecrets(text: string): string {
  return pattern ? text.replace(pattern, '[redacted]') : text;
}

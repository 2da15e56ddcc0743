import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { formatConfigIssues, rememberInterpolated } from './config-issue.js';
import { configSchema, LOG_LEVELS, type EvidenceConfig } from './schema.js';
import { isStoreUrl, STORE_URL_EXPECTED, storeUrlScheme } from './store-url.js';

export interface LoadedConfig {
  readonly config: EvidenceConfig;
  /** Directory relative paths in the config resolve against. */
  readonly baseDir: string;
  /** The file it came from, or undefined for embedded defaults. */
  readonly file: string | undefined;
  /** The raw text (after env interpolation is NOT applied): hashed into the auditor package. */
  readonly source: string;
}

const ENV_REF = /\$\{([A-Z0-9_]+)\}/g;

/** Replaces `${VAR}` in every string; a missing variable is an error naming the field. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, at: string): unknown {
  if (typeof value === 'string') {
    const resolved = value.replace(ENV_REF, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw new UsageError(`config: ${at}: environment variable ${name} is not set`);
      return found;
    });
    if (resolved !== value) rememberInterpolated(resolved);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((entry, index) => interpolate(entry, env, `${at}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, interpolate(entry, env, at ? `${at}.${key}` : key)]),
    );
  }
  return value;
}

export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const interpolated = interpolate(raw ?? {}, env, '');
  const result = configSchema.safeParse(interpolated);
  if (!result.success) throw new UsageError(formatConfigIssues(result.error, interpolated, '', configSchema));
  const config = result.data;
  // Name where a bad store URL came from: the operator fixes the env var or the config field, not both.
  if (!env.DATABASE_URL && !isStoreUrl(config.store.url))
    throw new UsageError(
      `config: store.url: expected ${STORE_URL_EXPECTED}, got "${storeUrlScheme(config.store.url)}"`,
    );
  if (env.DATABASE_URL && !isStoreUrl(env.DATABASE_URL))
    throw new UsageError(
      `DATABASE_URL: expected ${STORE_URL_EXPECTED}, got "${storeUrlScheme(env.DATABASE_URL)}"`,
    );
  if (env.DATABASE_URL) config.store.url = env.DATABASE_URL;
  // An operator turns logging up or down for one run without editing the config: the env var wins.
  if (env.LOG_LEVEL) {
    const level = configSchema.shape.logLevel.safeParse(env.LOG_LEVEL);
    if (!level.success)
      throw new UsageError(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
    config.logLevel = level.data;
  }
  if (env.REDIS_URL) config.redis.url = env.REDIS_URL;
  // A container binds its own interface while its config file stays the one used on a host.
  if (env.HTTP_HOST) config.http.host = env.HTTP_HOST;
  if (env.HTTP_PORT) {
    const port = Number(env.HTTP_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`HTTP_PORT: expected a port number 0-65535, got "${env.HTTP_PORT}"`);
    config.http.port = port;
  }
  return config;
}

/**
 * Loads `--config FILE`, or ./evidence-worker.yaml when present, or the embedded defaults.
 * An explicitly named file that does not exist is an error.
 */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const chosen = file ?? (existsSync('evidence-worker.yaml') ? 'evidence-worker.yaml' : undefined);
  if (!chosen) return { config: parseConfig({}, env), baseDir: process.cwd(), file: undefined, source: '' };
  if (!existsSync(chosen)) throw new UsageError(`config: file ${chosen} does not exist`);
  let source: string;
  try {
    source = readFileSync(chosen, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `config: cannot read ${chosen} (${code === 'EISDIR' ? 'a directory; expected a YAML file' : (code ?? 'error')})`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    throw new UsageError(`config: ${chosen} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { config: parseConfig(raw, env), baseDir: path.dirname(path.resolve(chosen)), file: chosen, source };
}

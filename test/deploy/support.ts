import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/cli.js';

export const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
export const DOCKERFILE = path.join(ROOT, 'Dockerfile');

/** Compose's own interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$$`. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (whole, name: string | undefined, colon: string, kind: string, rest: string) => {
      if (whole === '$$') return '$';
      const value = env[name ?? ''];
      const unset = colon ? !value : value === undefined;
      if (!kind || !unset) return value ?? '';
      if (kind === '-') return rest;
      throw new Error(`compose: ${name}: ${rest}`);
    },
  );
}

function interpolateDeep(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((entry) => interpolateDeep(entry, env));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  return value;
}

/** The compose file as parsed YAML, before interpolation (what the schema describes). */
export function rawCompose(): unknown {
  return parseYaml(readFileSync(COMPOSE_FILE, 'utf8'));
}

export interface WorkerService {
  command: string[];
  environment: Record<string, string>;
  volumes: string[];
  ports: string[];
}

/** The worker service as Compose would run it with this environment. */
export function workerService(env: Record<string, string | undefined>): WorkerService {
  const compose = interpolateDeep(rawCompose(), env) as { services: { worker: WorkerService } };
  const worker = compose.services.worker;
  return {
    ...worker,
    environment: Object.fromEntries(
      Object.entries(worker.environment).map(([key, value]) => [key, String(value)]),
    ),
  };
}

/** The exec-form ENTRYPOINT and CMD of the Dockerfile's final stage, and its WORKDIR. */
export function finalStage(): { entrypoint: string[]; cmd: string[]; workdir: string } {
  const stages = readFileSync(DOCKERFILE, 'utf8').split(/^FROM /m);
  const last = stages[stages.length - 1] ?? '';
  const instruction = (name: string): string[] => {
    const match = new RegExp(`^${name}\\s+(\\[.*\\])\\s*$`, 'm').exec(last);
    if (!match?.[1]) throw new Error(`Dockerfile: final stage has no exec-form ${name}`);
    return JSON.parse(match[1]) as string[];
  };
  const workdir = /^WORKDIR\s+(\S+)/m.exec(last)?.[1] ?? '/';
  return { entrypoint: instruction('ENTRYPOINT'), cmd: instruction('CMD'), workdir };
}

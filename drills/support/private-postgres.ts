import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, until } from './ports.js';

const exec = promisify(execFile);

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`; add `?schema=` per store. */
  readonly url: string;
  /** Stops the server (`fast`: connections cut, `immediate`: like a crash, WAL recovery) and starts it again. */
  restart(options?: { mode?: 'fast' | 'immediate'; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no PostgreSQL under ${root}`);
  return path.join(root, versions[0], 'bin');
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (initdb refuses root). */
async function asPostgres(tool: string, args: readonly string[]): Promise<void> {
  const file = path.join(binDir(), tool);
  if (process.getuid?.() === 0) {
    const quoted = [file, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    await exec('su', ['postgres', '-c', quoted]);
  } else {
    await exec(file, [...args]);
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A throwaway PostgreSQL cluster (initdb into a temp dir, trust auth, its own port and socket dir), so a
 * drill may restart it while the machine's shared server stays untouched.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-drill-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await exec('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const { stdout: gid } = await exec('id', ['-g', 'postgres']);
    chownSync(dir, uid, Number(gid.trim()));
  }
  chmodSync(dir, 0o700);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    await asPostgres('pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      'start',
    ]);
    await until(() => answers(url), `private PostgreSQL on port ${port}`, 20_000, 100);
  };
  const halt = (mode: string) => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  await start();
  return {
    url,
    async restart({ mode = 'fast', downMs = 1_000 } = {}) {
      await halt(mode);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async stop() {
      await halt('fast').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

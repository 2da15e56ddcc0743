import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, until } from './ports.js';

const run = promisify(execFile);

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  flushAll(): Promise<void>;
  /** Stops the server without saving (all data gone, as a restart without persistence) and starts it again. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * A throwaway redis-server on its own port, without persistence: the shared Redis of the machine is never
 * flushed or restarted by a drill.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-drill-redis-'));
  const pidfile = path.join(dir, 'redis.pid');
  const start = async () => {
    await run('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--dir',
      dir,
      '--pidfile',
      pidfile,
      '--logfile',
      path.join(dir, 'redis.log'),
      '--maxmemory-policy',
      'noeviction',
    ]);
    await until(() => ping(port), `private redis on port ${port}`, 10_000);
  };
  const shutdown = async () => {
    await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    await until(async () => !(await ping(port)), `private redis on port ${port} to stop`, 10_000);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async flushAll() {
      await run('redis-cli', ['-p', String(port), 'flushall']);
    },
    async restart(downMs = 1_000) {
      await shutdown();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async stop() {
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

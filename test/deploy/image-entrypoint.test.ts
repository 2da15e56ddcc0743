import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { dropStore, freshRedisPrefix, freshStoreUrl, REDIS_URL } from '../support/stores.js';
import { finalStage, workerService } from './support.js';

/**
 * What `docker compose up` runs, without Docker: the final stage's layout (compiled dist/, production
 * node_modules, config/) in a folder of its own, the Dockerfile's exact ENTRYPOINT with the compose file's
 * command and environment. Only what points outside the container changes: the database and Redis URLs
 * (the test services), the mounted config file's path, and the port (this machine is shared).
 */
const TOKEN = 'compose-status-token-0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${output()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url} never answered: ${output()}`);
}

describe('the image entrypoint with the compose environment', () => {
  let app: string;
  let storeUrl: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    app = mkdtempSync(path.join(tmpdir(), 'ew-image-'));
    // Stage 1: `npm run build` (tsc -p tsconfig.build.json, then the CLI bundle), here into the image folder's dist/.
    const build = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        path.join(app, 'dist'),
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    const bundle = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/build-cli.mjs'), '--outdir', path.join(app, 'dist/cli')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (bundle.status !== 0) throw new Error(`bundle failed: ${bundle.stdout}${bundle.stderr}`);
    // Stage 2 copies package.json, node_modules, dist and config.
    cpSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
    cpSync(path.join(ROOT, 'config'), path.join(app, 'config'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    storeUrl = freshStoreUrl('postgres');
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await dropStore(storeUrl);
    rmSync(app, { recursive: true, force: true });
  });

  it('serves /healthz openly and /readyz only with the token, then stops on SIGTERM', async () => {
    const { entrypoint, cmd, workdir } = finalStage();
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint).not.toContain('tsx');
    expect(cmd).toEqual(['start', '--role', 'all']);
    const worker = workerService({ STATUS_TOKEN: TOKEN });
    // The mounted config: ./evidence-worker.yaml on the host, at its container path in the command.
    const mount = worker.volumes.find((volume) => volume.startsWith('./evidence-worker.yaml:'));
    const target = mount?.split(':')[1];
    expect(target).toBeDefined();
    const config = path.join(app, 'evidence-worker.yaml');
    writeFileSync(config, `redis:\n  prefix: ${freshRedisPrefix()}\nlogLevel: info\n`);
    const args = [...entrypoint.slice(1), ...worker.command].map((arg) => (arg === target ? config : arg));
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      ...worker.environment,
      DATABASE_URL: storeUrl,
      REDIS_URL,
      HTTP_PORT: String(port),
    };
    expect(worker.environment.HTTP_HOST).toBe('0.0.0.0');
    expect(workdir).toBe('/app');
    child = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const base = `http://127.0.0.1:${port}`;
    const health = await waitFor(`${base}/healthz`, child, () => output);
    expect(health.status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(401);
    const ready = await fetch(`${base}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ready.status).toBe(200);
    expect(output).not.toContain(TOKEN);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});

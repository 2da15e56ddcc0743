import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { UsageError } from '../../src/errors.js';
import { isLoopback, requiredToken } from '../../src/http/auth.js';
import { closedPort, startSurface, surfaceApp, type Surface } from './support.js';

const TOKEN = 'status-token-0123456789abcdef';
const NOW = Date.UTC(2026, 0, 10, 12);
/** Every route but /healthz sits behind the token; /queues is Bull Board's entry page. */
const GUARDED = ['/readyz', '/metrics', '/', '/status', '/queues', '/queues/api/queues'];

describe('token rule', () => {
  it('tells loopback from exposed addresses', () => {
    for (const host of ['127.0.0.1', '127.0.0.53', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '128.0.0.1'])
      expect(isLoopback(host), host).toBe(false);
  });

  it('refuses an exposed bind without STATUS_TOKEN with a one-line usage error', () => {
    expect(requiredToken('127.0.0.1', {})).toBeUndefined();
    expect(() => requiredToken('0.0.0.0', {})).toThrow(UsageError);
    expect(() => requiredToken('0.0.0.0', { STATUS_TOKEN: '  ' })).toThrow(/set STATUS_TOKEN/);
    expect(() => requiredToken('0.0.0.0', {})).toThrow(/^[^\n]+$/);
    expect(() => requiredToken('0.0.0.0', { STATUS_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(requiredToken('0.0.0.0', { STATUS_TOKEN: TOKEN })).toBe(TOKEN);
  });

  it('createHttpServer refuses to build on 0.0.0.0 without the token', async () => {
    const app = await surfaceApp({ now: NOW, host: '0.0.0.0' });
    await expect(startSurface(app)).rejects.toThrow(UsageError);
    await app.close();
  });
});

describe('bound to 0.0.0.0 with STATUS_TOKEN', () => {
  let surface: Surface;
  let base: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const env = { STATUS_TOKEN: TOKEN };
    const logger = createLogger({
      level: 'debug',
      env,
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const app = await surfaceApp({ now: NOW, host: '0.0.0.0', env, logger });
    surface = await startSurface(app);
    const address = await surface.server.listen();
    // Real requests over the loopback interface: the server listens on every address.
    base = `http://127.0.0.1:${new URL(address).port}`;
  });
  afterAll(async () => surface?.close());

  it('answers /healthz without a token', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it.each(GUARDED)('401 on %s without a token, with a wrong one, and 200 with it', async (path) => {
    const bare = await fetch(`${base}${path}`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await bare.text()).not.toContain(TOKEN);
    for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
      const wrong = await fetch(`${base}${path}`, { headers: { authorization: header } });
      expect(wrong.status, header).toBe(401);
    }
    const good = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(good.status).toBe(200);
  });

  it('guards routes that do not exist too, so nothing is learned without the token', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(401);
    const found = await fetch(`${base}/nope`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(found.status).toBe(404);
  });

  it('never writes the token to the log', async () => {
    await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    await fetch(`${base}/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const log = lines.join('');
    expect(log).toContain('unauthorised');
    expect(log).not.toContain(TOKEN);
  });
});

describe('bound to 127.0.0.1', () => {
  it('reports a port already in use as a usage error naming the port', async () => {
    const port = await closedPort();
    const first = await startSurface(await surfaceApp({ now: NOW, port }));
    const second = await startSurface(await surfaceApp({ now: NOW, port }));
    try {
      await first.server.listen();
      const error: unknown = await second.server.listen().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `http: 127.0.0.1:${port} is already in use (another evidence-worker on this machine?): give each instance its own http.port, e.g. port: \${HTTP_PORT}`,
      );
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('needs no token', async () => {
    const app = await surfaceApp({ now: NOW });
    const surface = await startSurface(app);
    try {
      for (const path of ['/healthz', '/readyz', '/metrics', '/status', '/queues']) {
        const response = await surface.server.fastify.inject({ method: 'GET', url: path });
        expect(response.statusCode, path).toBe(200);
      }
    } finally {
      await surface.close();
    }
  });
});

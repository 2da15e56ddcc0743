import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { httpServicePart } from '../../src/http/service-part.js';
import { registerServiceParts } from '../../src/service-parts.js';
import { servicePartFactories, startService } from '../../src/service.js';
import { REDIS_URL, freshRedisPrefix } from '../support/stores.js';
import { closedPort, surfaceApp } from './support.js';

const NOW = Date.UTC(2026, 0, 10, 12);

describe('the HTTP surface as a part of `start`', () => {
  it('is registered, listens on http.host:http.port while the service runs, and stops with it', async () => {
    registerServiceParts();
    expect(servicePartFactories).toContain(httpServicePart);
    const port = await closedPort();
    const app = await surfaceApp({ now: NOW, port });
    const service = await startService(app, 'planner');
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await service.stop();
      await app.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('refuses to build on 0.0.0.0 without STATUS_TOKEN', async () => {
    const app = await surfaceApp({ now: NOW, host: '0.0.0.0' });
    try {
      expect(() => httpServicePart(app, { producer: undefined as never, role: 'all' })).toThrow(UsageError);
    } finally {
      await app.close();
    }
  });

  it('`evidence-worker start` exits 2 with one line when bound to 0.0.0.0 without STATUS_TOKEN', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ew-http-'));
    const config = path.join(dir, 'evidence-worker.yaml');
    writeFileSync(
      config,
      [
        `store: { url: "file:${path.join(dir, 'evidence.db')}" }`,
        `redis: { url: "${REDIS_URL}", prefix: "${freshRedisPrefix()}" }`,
        'http: { host: 0.0.0.0, port: 0 }',
        'logLevel: silent',
        '',
      ].join('\n'),
    );
    const env = { ...process.env };
    delete env.STATUS_TOKEN;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', '--config', config, 'start', '--role', 'planner'],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^evidence-worker: http\.host is 0\.0\.0\.0, .*set STATUS_TOKEN/);
  }, 60_000);
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';

/** The demo's line about Redis, read from the real CLI; the demo is stopped once it has said it. */
function redisLine(redisUrl: string): Promise<string> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'ew-demo-')), 'package');
  const child = spawnCli(['demo', '--out', out, '--days', '7'], { env: { REDIS_URL: redisUrl } });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => /Redis is not reachable|through BullMQ/.test(text));
      if (line !== undefined && stdout.includes(`${line}\n`)) {
        child.kill();
        resolve(line);
      }
    });
    child.on('error', reject);
    child.on('close', () => reject(new Error(`demo ended without naming Redis:\n${stdout}`)));
  });
}

it('the demo prints the Redis URL with its password as ***', async () => {
  const line = await redisLine('redis://:hunter2@127.0.0.1:9');
  expect(line).toContain('redis://:***@127.0.0.1:9');
  expect(line).not.toContain('hunter2');
}, 60_000);

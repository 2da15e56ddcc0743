import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return {
    lines,
    destination: destination as unknown as NodeJS.WritableStream & { write(text: string): boolean },
  };
}

describe('logging never shows a secret', () => {
  const token = 'ghp_0123456789abcdefSECRET';

  it('redacts secret fields and scrubs secret values from messages, errors and stacks', () => {
    const { lines, destination } = capture();
    const logger = createLogger({
      env: {
        GITHUB_TOKEN: token,
        ACME_API_TOKEN: 'acme-secret-value',
        DATABASE_URL: 'postgres://u:dbpass1234@h/db',
      },
      destination,
      level: 'debug',
    });
    logger.info({ token, headers: { authorization: `Bearer ${token}` } }, 'request');
    logger
      .child({ stream: 'github-production-changes' })
      .error({ err: new Error(`401 for token ${token}`) }, `failed with ${token}`);
    logger.warn({ config: { connectors: { github: { privateKey: '-----BEGIN' } } } }, 'config');
    logger.info(`acme said acme-secret-value; db dbpass1234`);
    const output = lines.join('');
    expect(lines).toHaveLength(4);
    expect(output).not.toContain(token);
    expect(output).not.toContain('acme-secret-value');
    expect(output).not.toContain('dbpass1234');
    expect(output).not.toContain('-----BEGIN');
    expect(output).toContain('[redacted]');
    expect(output).toContain('github-production-changes');
  });

  it('adds secrets it is given later (tokens read from files)', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ env: {}, destination, secrets: ['file-token-abcdef'] });
    logger.info('using file-token-abcdef');
    expect(lines.join('')).not.toContain('file-token-abcdef');
  });
});

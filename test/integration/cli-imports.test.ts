import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, writeConfig } from '../support/cli.js';

// Every connector configured, so `streams` and `catalog` list their streams: their definitions load, their
// SDKs must not.
const CONFIG = writeConfig(`
connectors:
  github: { org: acme }
  aws:
    accounts:
      - { id: '123456789012', regions: [us-east-1], cloudtrail: { source: lookup } }
  jira: { site: https://acme.atlassian.net, projects: [CHG] }
  linear: { teams: [ENG] }
  okta: { orgUrl: https://acme.okta.com }
  google-workspace: { subject: it-admin@acme.com }
  hr-file: { directory: ./hr-exports }
`);

/** Runs the CLI with the import recorder and answers the packages it resolved. */
function packagesLoadedBy(args: readonly string[]): Promise<{ code: number | null; packages: string[] }> {
  const record = path.join(mkdtempSync(path.join(tmpdir(), 'ew-imports-')), 'packages.txt');
  const child = spawn(
    process.execPath,
    [
      '--import',
      path.join(ROOT, 'test/fixtures/record-imports.mjs'),
      '--import',
      'tsx',
      path.join(ROOT, 'src/cli/main.ts'),
      ...args,
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, RECORD_IMPORTS_TO: record },
      stdio: 'ignore',
    },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, packages: readFileSync(record, 'utf8').split('\n').filter(Boolean) }),
    );
  });
}

// What a listing never needs: the source SDKs, the queue, the web server, the database drivers and query layer.
const HEAVY = [
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@octokit\//,
  /^jira\.js$/,
  /^axios$/,
  /^@linear\/sdk$/,
  /^google-auth-library$/,
  /^@googleapis\//,
  /^exceljs$/,
  /^fastify$/,
  /^bullmq$/,
  /^ioredis$/,
  /^better-sqlite3$/,
  /^pg$/,
  /^kysely$/,
];

describe('CLI start-up loads only what the command uses', () => {
  it.each([[['--help']], [['-c', CONFIG, 'streams']], [['-c', CONFIG, 'catalog', 'CC6.1']]])(
    '%j loads no SDK, queue, server or database',
    async (args) => {
      const { code, packages } = await packagesLoadedBy(args);
      expect(code).toBe(0);
      expect(packages).toContain('commander'); // the recorder saw the CLI's own imports
      expect(packages.filter((name) => HEAVY.some((pattern) => pattern.test(name)))).toEqual([]);
    },
  );
});

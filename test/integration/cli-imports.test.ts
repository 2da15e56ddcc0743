import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, writeConfig } from '../support/cli.js';

// Every connector configured, so `streams` and `catalog` list their streams: their manifests load, their
// implementations and SDKs must not.
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

interface Loaded {
  code: number | null;
  stdout: string;
  /** Package names. */
  packages: string[];
  /** Files of this repository, from its root (`connectors/aws/manifest.ts`). */
  files: string[];
}

/** Runs a CLI entry with the import recorder and answers what it loaded. */
function loadedBy(entry: readonly string[], args: readonly string[]): Promise<Loaded> {
  const record = path.join(mkdtempSync(path.join(tmpdir(), 'ew-imports-')), 'loaded.txt');
  const child = spawn(
    process.execPath,
    ['--import', path.join(ROOT, 'test/fixtures/record-imports.mjs'), ...entry, ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, RECORD_IMPORTS_TO: record },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const loaded = readFileSync(record, 'utf8').split('\n').filter(Boolean);
      resolve({
        code,
        stdout,
        packages: loaded.filter((entry) => !entry.startsWith('./')),
        files: loaded.filter((entry) => entry.startsWith('./')).map((entry) => entry.slice(2)),
      });
    });
  });
}

const fromSources = (args: readonly string[]) =>
  loadedBy(['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')], args);

// What a listing never needs: the source SDKs, the queue, the web server, the database drivers and query
// layer, and the logger with its transport machinery.
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
  /^pino/,
  /^thread-stream$/,
  /^sonic-boom$/,
];
const heavy = (packages: readonly string[]) =>
  packages.filter((name) => HEAVY.some((pattern) => pattern.test(name)));

// A connector's manifest and config schema, and what those two import; never its streams, client or index.
const CONNECTOR_DECLARATIONS = /^connectors\/[^/]+\/(manifest|config)\.ts$/;
const DECLARATION_IMPORTS = ['connectors/aws/aws-errors.ts', 'connectors/hr-file/presets.ts'];
// The config schema names the check settings and the people settings; no check itself.
const CHECK_SETTINGS = ['src/checks/check-set.ts', 'checks/people/settings.ts'];
// What collects, stores, judges, logs or serves.
const MACHINERY =
  /^(src\/(store|collection|continuity|export\/(?!cli-arguments|audit-period)|http|queue|alerts\/(?!config)|app|registry|connectors|log|service)|jobs\/)/;

describe('CLI start-up loads only what the command uses', () => {
  it.each([[['--help']], [['-c', CONFIG, 'streams']], [['-c', CONFIG, 'catalog', 'CC6.1']]])(
    '%j loads no SDK, queue, server, database or logger',
    async (args) => {
      const { code, packages } = await fromSources(args);
      expect(code).toBe(0);
      expect(packages).toContain('commander'); // the recorder saw the CLI's own imports
      expect(heavy(packages)).toEqual([]);
    },
  );

  it.each([[['-c', CONFIG, 'streams']], [['-c', CONFIG, 'catalog', 'CC6.1']]])(
    '%j reads connector manifests and config schemas, no connector implementation, check or machinery',
    async (args) => {
      const { code, files } = await fromSources(args);
      expect(code).toBe(0);
      const connectorFiles = files.filter((file) => file.startsWith('connectors/'));
      expect(connectorFiles).toContain('connectors/okta/manifest.ts');
      expect(
        connectorFiles.filter(
          (file) => !CONNECTOR_DECLARATIONS.test(file) && !DECLARATION_IMPORTS.includes(file),
        ),
      ).toEqual([]);
      expect(
        files.filter((file) => /^(src\/)?checks\//.test(file) && !CHECK_SETTINGS.includes(file)),
      ).toEqual([]);
      expect(files.filter((file) => MACHINERY.test(file))).toEqual([]);
    },
  );

  it('--help loads the commands and nothing of connectors, config or catalogue', async () => {
    const { code, files } = await fromSources(['--help']);
    expect(code).toBe(0);
    expect(files).toContain('src/cli/commands/catalog.ts');
    expect(
      files.filter(
        (file) => !/^src\/(cli\/|errors\.ts|time\.ts|export\/(cli-arguments|audit-period)\.ts)/.test(file),
      ),
    ).toEqual([]);
  });
});

describe('the bundled CLI (dist/cli/, as the package and the image run it)', () => {
  let app: string;

  // The installed layout: bin/, dist/cli/, config/ and package.json, no src/: the bin starts the bundle.
  beforeAll(() => {
    app = mkdtempSync(path.join(tmpdir(), 'ew-bundle-'));
    const bundle = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/build-cli.mjs'), '--outdir', path.join(app, 'dist/cli')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (bundle.status !== 0) throw new Error(`bundle failed: ${bundle.stdout}${bundle.stderr}`);
    mkdirSync(path.join(app, 'bin'));
    copyFileSync(path.join(ROOT, 'bin/evidence-worker.js'), path.join(app, 'bin/evidence-worker.js'));
    copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
    symlinkSync(path.join(ROOT, 'config'), path.join(app, 'config'), 'dir');
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  }, 120_000);

  afterAll(() => rmSync(app, { recursive: true, force: true }));

  const fromBundle = (args: readonly string[]) => loadedBy([path.join(app, 'bin/evidence-worker.js')], args);

  it('lists the same streams and catalogue entries as the sources, loading no SDK, queue or logger', async () => {
    for (const args of [
      ['-c', CONFIG, 'streams', '--json'],
      ['-c', CONFIG, 'catalog', 'CC6.1'],
      ['-c', CONFIG, 'catalog', 'A.8.32'],
    ]) {
      const [bundled, sources] = await Promise.all([fromBundle(args), fromSources(args)]);
      expect(bundled.code).toBe(0);
      expect(bundled.stdout).toBe(sources.stdout);
      expect(bundled.packages).not.toContain('tsx'); // the bin started the bundle, not the sources
      expect(heavy(bundled.packages)).toEqual([]);
    }
    const streams = JSON.parse((await fromBundle(['-c', CONFIG, 'streams', '--json'])).stdout) as unknown[];
    expect(streams).toHaveLength(19); // 18 collected, and the access review decisions
  }, 120_000);

  it('--help loads only the bundle and its command-line parser', async () => {
    const { code, stdout, packages } = await fromBundle(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/catalog <id>/);
    // zod, yaml and commander are inside the bundle: no package resolves from node_modules at all.
    expect(packages).toEqual([]);
  });
});

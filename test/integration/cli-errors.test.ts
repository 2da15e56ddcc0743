import { describe, expect, it } from 'vitest';
import { FAKE_CONNECTOR_MODULE, runCli, writeConfig } from '../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../support/stores.js';

function config(extra = ''): string {
  return writeConfig(`store:
  url: ${freshStoreUrl('sqlite')}
redis:
  prefix: ${freshRedisPrefix()}
modules:
  - ${FAKE_CONNECTOR_MODULE}
connectors:
  fake:
    baseUrl: http://127.0.0.1:9
${extra}`);
}

const env = { FAKE_SOURCE_TOKEN: 'cli-token-abcdef' };

async function expectUsageError(
  args: string[],
  message: RegExp,
  options: { env?: NodeJS.ProcessEnv } = { env },
) {
  const result = await runCli(args, options);
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe.concurrent('bad input gives one line and exit code 2', () => {
  it('an unknown stream id', async () => {
    await expectUsageError(
      [
        '--config',
        config(),
        'backfill',
        '--from',
        '2026-01-01',
        '--to',
        '2026-01-02',
        '--stream',
        'no-such',
        '--inline',
      ],
      /unknown stream "no-such"/,
    );
  });

  it('--to before --from', async () => {
    await expectUsageError(
      ['--config', config(), 'backfill', '--from', '2026-03-01', '--to', '2026-02-01'],
      /--to \(2026-02-01\) is before --from \(2026-03-01\)/,
    );
  });

  it('an unknown check id in the config', async () => {
    await expectUsageError(
      ['--config', config('checks:\n  change-reviw: {}'), 'checks'],
      /^evidence-worker: config: checks\.change-reviw: unknown check \(known: .*change-review/,
    );
  });

  it('a check policy of the wrong type', async () => {
    await expectUsageError(
      [
        '--config',
        config('checks:\n  change-review:\n    requiredApprovals: two'),
        'checks',
        'run',
        '--period',
        '2026-Q1',
      ],
      /config: checks\.change-review\.requiredApprovals: expected a number, got "two"$/,
    );
  });

  it('an unknown check id on the command line', async () => {
    await expectUsageError(
      ['--config', config(), 'checks', 'run', '--period', '2026-Q1', '--check', 'nope'],
      /unknown check "nope"/,
    );
  });

  it('a malformed date', async () => {
    await expectUsageError(
      ['--config', config(), 'backfill', '--from', '2026-13-01', '--to', '2026-12-01'],
      /--from: expected a date as YYYY-MM-DD, got "2026-13-01"/,
    );
  });

  it('an unknown criterion in a mapping override', async () => {
    const file = config(`mappings:
  overrides:
    fake-changes:
      criteria: [CC9.3]
`);
    await expectUsageError(
      ['--config', file, 'streams'],
      /mappings\.overrides\.fake-changes: stream fake-changes cites unknown SOC 2 criterion "CC9\.3"/,
    );
  });

  it('a missing token', async () => {
    await expectUsageError(
      ['--config', config(), 'backfill', '--from', '2026-01-01', '--to', '2026-01-01', '--inline'],
      /FAKE_SOURCE_TOKEN/,
      { env: {} },
    );
  });

  it('a config field of the wrong shape', async () => {
    const file = writeConfig(`modules: [${FAKE_CONNECTOR_MODULE}]
connectors:
  fake:
    baseUrl: http://127.0.0.1:9
    repos: [a/b, c/d, foo]
`);
    await expectUsageError(
      ['--config', file, 'streams'],
      /^evidence-worker: config: connectors\.fake\.repos\[2\]: expected "owner\/name", got "foo"$/,
    );
  });

  it('a config file that does not exist', async () => {
    await expectUsageError(
      ['--config', '/nonexistent/ew.yaml', 'streams'],
      /config: file \/nonexistent\/ew.yaml does not exist/,
    );
  });

  it('an unknown option', async () => {
    await expectUsageError(
      ['--config', config(), 'backfill', '--frm', '2026-01-01'],
      /unknown option '--frm'/,
    );
  });
});

import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { RejectLog } from '../../src/store/reject-log.js';
import { dropStore, freshStoreUrl, rawSql, storeKinds } from '../support/stores.js';

const NEW_COLUMNS = [
  'kind',
  'source',
  'raw_sha256',
  'other_sha256',
  'occurred_at',
  'window_start',
  'window_end',
];

describe.each(storeKinds)('migration 0007 on %s', (kind) => {
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropStore(url);
  });

  it('gives rejects written before it their run window and the hash of their raw text', async () => {
    const url = freshStoreUrl(kind);
    urls.push(url);
    // Take the store back to where 0006 left it, with a reject written the old way.
    const before = await openStore(url);
    await rawSql(before, `DELETE FROM schema_migrations WHERE name = '0007-rejects-provenance'`);
    await rawSql(before, 'DROP INDEX rejects_stream_window');
    for (const column of NEW_COLUMNS) await rawSql(before, `ALTER TABLE rejects DROP COLUMN ${column}`);
    await rawSql(
      before,
      `INSERT INTO runs (id, stream, window_start, window_end, trigger, status, attempt, job_id, items_new,
         items_unchanged, items_changed, items_skipped, error_code, error_message, started_at, finished_at)
       VALUES ('run-1', 's', 3600000, 7200000, 'schedule', 'succeeded', 1, NULL, 0, 0, 0, 1, NULL, NULL, 1, 2)`,
    );
    await rawSql(
      before,
      `INSERT INTO rejects (stream, run_id, item_key, reason, raw, rejected_at)
       VALUES ('s', 'run-1', 'k', 'payload invalid', '{"a":1}', 5)`,
    );
    await before.close();

    const after = await openStore(url);
    const rows = await new RejectLog(after).inPeriod({ start: 0, end: 10_000_000 });
    expect(rows).toEqual([
      expect.objectContaining({
        stream: 's',
        item_key: 'k',
        kind: 'record',
        source: '',
        window_start: 3_600_000,
        window_end: 7_200_000,
        raw_sha256: createHash('sha256').update('{"a":1}').digest('hex'),
        other_sha256: null,
      }),
    ]);
    await after.close();
  });
});

import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parsePeriod } from '../../src/cli/args.js';
import { sha256File } from '../../src/export/file-hash.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import {
  checkSignature,
  generateSigningKeys,
  keyFingerprint,
  loadPublicKey,
  loadSigningKey,
  signManifest,
} from '../../src/export/signing.js';
import { verifyPackage } from '../../src/export/verify-package.js';
import { readChainHeads } from '../../src/store/chain-heads.js';
import { runCli, writeConfig } from '../support/cli.js';
import { freshStoreUrl } from '../support/stores.js';
import { fillThroughRunner, fixtureApp, tempDir } from './fill-store.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture-connector.ts');
const POPULATION = 'CC8.1_Production_Changes_2026-04.csv';

interface Manifest {
  files: { path: string; sha256: string; bytes: number }[];
  chainHeads: { stream: string; seq: number; hash: string }[];
}

describe('a signed auditor package (SQLite, store filled through the runner)', () => {
  let app: App;
  let storeUrl: string;
  let keys: Awaited<ReturnType<typeof generateSigningKeys>>;
  let written: AuditorPackage;

  beforeAll(async () => {
    keys = await generateSigningKeys(path.join(tempDir('keys'), 'keys'));
    storeUrl = freshStoreUrl('sqlite');
    app = await fixtureApp({ storeUrl, extra: { signing: { privateKey: keys.privateKeyFile } } });
    await fillThroughRunner(app, parsePeriod('2026-04'));
    written = await writeAuditorPackage(app, {
      period: parsePeriod('2026-04'),
      out: path.join(tempDir('signed'), 'pkg'),
    });
  });
  afterAll(async () => app.close());

  /** A copy of the package to tamper with, and its manifest as JSON. */
  function copy(): { dir: string; manifest: Manifest; save: (manifest: Manifest) => void } {
    const dir = path.join(tempDir('tamper'), 'pkg');
    cpSync(written.out, dir, { recursive: true });
    const file = path.join(dir, 'MANIFEST.json');
    return {
      dir,
      manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest,
      save: (manifest) => writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`),
    };
  }

  it('signs MANIFEST.json beside it, anchors every chain head, and verifies with the public key', async () => {
    expect(written.signature).toMatchObject({ algorithm: 'Ed25519', publicKeySha256: keys.fingerprint });
    const manifest = JSON.parse(readFileSync(path.join(written.out, 'MANIFEST.json'), 'utf8')) as Manifest;
    const heads = await readChainHeads(await app.store());
    expect(heads.length).toBe(app.registry.streams.length);
    expect(manifest.chainHeads).toEqual(heads);
    expect(manifest.files.map((file) => file.path)).not.toContain('MANIFEST.json.sig');
    expect((await verifyPackage(written.out)).problems).toEqual([]);
    const publicKey = await loadPublicKey(keys.publicKeyFile);
    expect(await checkSignature(written.out, publicKey)).toEqual({ ok: true, fingerprint: keys.fingerprint });
    // signing.privateKey may hold the PEM itself (from `${VAR}`) instead of a path.
    const inline = await loadSigningKey(readFileSync(keys.privateKeyFile, 'utf8'), '/nowhere');
    expect(keyFingerprint(inline)).toBe(keys.fingerprint);
  });

  it('a file removed with its entry, or changed with its hash, passes the manifest but not the signature', async () => {
    const publicKey = await loadPublicKey(keys.publicKeyFile);
    const removed = copy();
    rmSync(path.join(removed.dir, POPULATION));
    removed.save({ ...removed.manifest, files: removed.manifest.files.filter((f) => f.path !== POPULATION) });
    const changed = copy();
    writeFileSync(path.join(changed.dir, POPULATION), 'Key\nnothing to see\n');
    changed.save({
      ...changed.manifest,
      files: changed.manifest.files.map((f) => (f.path === POPULATION ? { ...f, sha256: '', bytes: 0 } : f)),
    });
    // Recompute the hash so the manifest is self-consistent, as a careful forger would.
    const hash = await sha256File(path.join(changed.dir, POPULATION));
    changed.save({
      ...changed.manifest,
      files: changed.manifest.files.map((f) =>
        f.path === POPULATION ? { ...f, sha256: hash, bytes: 18 } : f,
      ),
    });
    for (const forged of [removed, changed]) {
      expect((await verifyPackage(forged.dir)).problems).toEqual([]);
      const check = await checkSignature(forged.dir, publicKey);
      expect(check).toEqual({
        ok: false,
        problem:
          'the signature does not match MANIFEST.json: the manifest (or its signature) was changed after signing',
      });
      expect((await verifyPackage(forged.dir)).manifestSha256).not.toBe(written.manifestSha256);
    }
  });

  it('a manifest re-signed with another key is named as signed by another key', async () => {
    const forged = copy();
    forged.save({ ...forged.manifest, files: forged.manifest.files.slice(1) });
    rmSync(path.join(forged.dir, forged.manifest.files[0]!.path));
    const other = await generateSigningKeys(path.join(tempDir('other'), 'keys'));
    await signManifest(forged.dir, await loadSigningKey(other.privateKeyFile, '/'));
    const check = await checkSignature(forged.dir, await loadPublicKey(keys.publicKeyFile));
    expect(check).toEqual({
      ok: false,
      problem: `signed by another key (fingerprint ${other.fingerprint}), not by the key given (${keys.fingerprint})`,
    });
    // Its own key would vouch for it: which is why the auditor takes the public key from the exporter.
    expect((await checkSignature(forged.dir, await loadPublicKey(other.publicKeyFile))).ok).toBe(true);
  });

  // Three processes of the real CLI: seconds each on a loaded machine.
  it(
    'the real CLI: verify --public-key and --expect pass, fail and name why; plain verify says what it did not prove',
    { timeout: 180_000 },
    async () => {
      const good = await runCli([
        'verify',
        written.out,
        '--public-key',
        keys.publicKeyFile,
        '--expect',
        written.manifestSha256,
      ]);
      expect(good.code).toBe(0);
      expect(good.stdout).toContain(`ok: MANIFEST.json has the expected sha256 ${written.manifestSha256}`);
      expect(good.stdout).toContain(
        `ok: MANIFEST.json is signed by the key given (fingerprint ${keys.fingerprint})`,
      );
      expect(good.stdout).not.toContain('internal consistency');

      const forged = copy();
      rmSync(path.join(forged.dir, POPULATION));
      forged.save({ ...forged.manifest, files: forged.manifest.files.filter((f) => f.path !== POPULATION) });
      const bad = await runCli([
        'verify',
        forged.dir,
        '--public-key',
        keys.publicKeyFile,
        '--expect',
        written.manifestSha256,
      ]);
      expect(bad.code).toBe(1);
      const lines = bad.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^ok: \d+ files match MANIFEST\.json/);
      expect(lines[1]).toMatch(
        new RegExp(
          `^FAIL manifest: MANIFEST.json has sha256 [0-9a-f]{64}, expected ${written.manifestSha256}`,
        ),
      );
      expect(lines[2]).toBe(
        'FAIL signature: the signature does not match MANIFEST.json: the manifest (or its signature) was changed after signing',
      );

      const plain = await runCli(['verify', forged.dir]);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toContain('note: checked internal consistency only');
    },
  );

  it(
    'verify-store --since MANIFEST.json proves the store still extends the anchored heads, and names a cut tail',
    { timeout: 180_000 },
    async () => {
      const config = writeConfig(
        `store:\n  url: ${storeUrl}\nmodules:\n  - ${FIXTURE}\nconnectors:\n  audit-fixture: {}\nlogLevel: silent\n`,
      );
      const manifest = path.join(written.out, 'MANIFEST.json');
      const intact = await runCli(['--config', config, 'verify-store', '--since', manifest]);
      expect(intact.stderr).toBe('');
      expect(intact.code).toBe(0);
      expect(intact.stdout.trim()).toMatch(
        new RegExp(
          `^ok: \\d+ rows in \\d+ streams; .*; the chain extends all ${app.registry.streams.length} heads anchored in`,
        ),
      );

      const store = await app.store();
      const head = (await readChainHeads(store)).find(
        (entry) => entry.stream === 'fixture-production-changes',
      )!;
      const kept = await store.db
        .selectFrom('evidence_items')
        .select(['seq', 'row_hash'])
        .where('stream', '=', head.stream)
        .where('seq', '=', head.seq - 1)
        .executeTakeFirstOrThrow();
      await store.db
        .deleteFrom('evidence_items')
        .where('stream', '=', head.stream)
        .where('seq', '=', head.seq)
        .execute();
      await store.db
        .updateTable('chain_heads')
        .set({ seq: Number(kept.seq), hash: kept.row_hash })
        .where('stream', '=', head.stream)
        .execute();
      const cut = await runCli(['--config', config, 'verify-store', '--since', manifest]);
      expect(cut.code).toBe(1);
      const lines = cut.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^FAIL fixture-production-changes run [0-9a-f-]{36} \[2026-04-30T00:00:00\.000Z, 2026-05-01T00:00:00\.000Z\): the ledger recorded \d+ new or changed items; \d+ are in the store \(1 missing: deleted\)$/,
      );
      expect(lines[1]).toBe(
        `FAIL fixture-production-changes seq ${head.seq}: anchored head row ${head.seq} (hash ${head.hash.slice(0, 12)}) is gone: the chain now ends at row ${head.seq - 1} (truncated)`,
      );
    },
  );
});

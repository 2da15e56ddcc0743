import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDemo, runDemo } from '../../src/demo/run-demo.js';
import { checkSignature, loadPublicKey } from '../../src/export/signing.js';
import { verifyPackage } from '../../src/export/verify-package.js';
import { silentLogger } from '../support/app.js';
import { REDIS_URL } from '../support/stores.js';

describe('evidence-worker demo', () => {
  it(
    'backfills the sandboxes through BullMQ, finds both planted outages and writes a package that verifies',
    { timeout: 240_000 },
    async () => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'ew-demo-')), 'demo-output');
      const lines: string[] = [];
      const result = await runDemo({
        out,
        days: 45,
        redisUrl: REDIS_URL,
        logger: silentLogger,
        print: (line) => lines.push(line),
      });
      expect(result.mode).toBe('queue');
      expect(lines.join('\n')).toMatch(/Collecting through BullMQ/);
      expect(result.summaries.every((summary) => summary.failed === 0)).toBe(true);

      const byStream = new Map(result.continuity.streams.map((entry) => [entry.stream, entry]));
      const accessChanges = byStream.get('aws-cloudtrail-access-changes')!;
      const outageGap = accessChanges.gaps.find((gap) => gap.cause === 'never_attempted');
      expect(outageGap).toMatchObject({
        start: result.outage.start,
        end: result.outage.end,
        recoverable: true,
      });
      expect(byStream.get('aws-cloudtrail-log-samples')!.silent.length).toBeGreaterThan(0);
      expect(byStream.get('github-production-changes')!.coveragePercent).toBe(100);
      expect(byStream.get('github-production-changes')!.exceptionCount).toBeGreaterThan(0);

      const verified = await verifyPackage(result.auditorPackage.out);
      expect(verified.problems).toEqual([]);
      expect(verified.checked).toBeGreaterThan(20);
      expect(describeDemo(result).join('\n')).toMatch(/planted collection/);
      // Signed with a throwaway key kept outside the package, and the way to verify it is printed.
      expect(verified.manifest.files.some((file) => file.path.includes('signing-key'))).toBe(false);
      const signature = await checkSignature(
        result.auditorPackage.out,
        await loadPublicKey(result.keys.publicKeyFile),
      );
      expect(signature).toEqual({ ok: true, fingerprint: result.keys.fingerprint });
      expect(describeDemo(result).join('\n')).toContain(
        `--public-key ${path.relative(process.cwd(), result.keys.publicKeyFile)} --expect ${result.auditorPackage.manifestSha256}`,
      );
    },
  );
});

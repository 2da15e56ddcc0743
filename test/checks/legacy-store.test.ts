import { describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { buildCheckSet } from '../../src/checks/check-set.js';
import { judgePeriod } from '../../src/checks/judge-period.js';
import { EvidenceRepository, prepareItem } from '../../src/store/evidence-repository.js';
import { verifyStore } from '../../src/store/verify-store.js';
import { dropStore, freshStore, storeKinds } from '../support/stores.js';

const STREAM = 'github-production-changes';
const DAY1 = Date.UTC(2026, 5, 1, 10);
const context = (runId: string) => ({
  stream: STREAM,
  runId,
  collectedAt: DAY1 + 86_400_000,
  criteria: ['CC8.1'],
  isoControls: ['A.8.32'],
});

/** An item exactly as releases before checks wrote it: flags in the payload, exceptions on the row. */
const legacy = prepareItem({
  key: 'acme/api@' + 'a'.repeat(40),
  occurredAt: DAY1,
  payload: {
    type: 'commit',
    repo: 'acme/api',
    branch: 'main',
    sha: 'a'.repeat(40),
    message: 'Hotfix on api',
    committedAt: new Date(DAY1).toISOString(),
    author: { login: 'alice', date: null },
    committer: { login: 'web-flow', date: null },
    pullRequest: null,
    approvals: [],
    checks: { runs: [{ name: 'ci', status: 'completed', conclusion: 'success' }], combinedStatus: null },
    flags: ['direct_push'],
  },
  exceptions: [
    {
      code: 'direct_push',
      description: 'acme/api@aaaaaaa: reached the default branch without a pull request',
    },
  ],
});

/** A facts-only item collected after the upgrade: reviewed in a PR into `release` only. */
const current = prepareItem({
  key: 'acme/api@' + 'b'.repeat(40),
  occurredAt: DAY1 + 3_600_000,
  payload: {
    type: 'commit',
    repo: 'acme/api',
    branch: 'main',
    sha: 'b'.repeat(40),
    message: "Merge branch 'release' into main",
    committedAt: new Date(DAY1 + 3_600_000).toISOString(),
    author: { login: 'bob', date: null },
    committer: { login: 'web-flow', date: null },
    pullRequests: [
      {
        number: 7,
        title: 'Change 7',
        body: '',
        url: 'https://github.example.test/acme/api/pull/7',
        baseRefName: 'release',
        headRefName: 'feature/7',
        headSha: 'c'.repeat(40),
        author: 'bob',
        mergedBy: 'carol',
        mergedAt: new Date(DAY1).toISOString(),
        reviews: [{ reviewer: 'carol', state: 'approved', commit: 'c'.repeat(40), submittedAt: null }],
      },
    ],
    checks: { runs: [{ name: 'ci', status: 'completed', conclusion: 'success' }], combinedStatus: null },
  },
});

describe.each(storeKinds)('a store written before checks existed (%s)', (kind) => {
  it('still verifies after new collection, keeps its old rows, and is judged by the checks', async () => {
    const { store, url } = await freshStore(kind);
    try {
      const evidence = new EvidenceRepository(store);
      await evidence.write(context('run-before'), [legacy]);
      await evidence.write(context('run-after'), [current]);
      expect((await verifyStore(store)).problems).toEqual([]);
      const rows = await store.db
        .selectFrom('evidence_items')
        .select(['item_key', 'exceptions'])
        .orderBy('id')
        .execute();
      // The old row keeps the exception it was written with; nothing was rewritten.
      expect(JSON.parse(rows[0]!.exceptions)).toHaveLength(1);
      expect(JSON.parse(rows[1]!.exceptions)).toEqual([]);

      const checks = buildCheckSet(builtInChecks, {}, Catalogue.load()).active(new Set([STREAM]));
      const findings = await judgePeriod(store, checks, new Set([STREAM]), {
        start: DAY1 - 1,
        end: DAY1 + 86_400_000,
      });
      expect(findings.forItem(STREAM, legacy.key).map((finding) => finding.code)).toEqual(['direct_push']);
      expect(findings.forItem(STREAM, current.key).map((finding) => finding.code)).toEqual([
        'promoted_without_pr',
      ]);
      expect(findings.findings.filter((finding) => finding.code === 'fact_unreadable')).toEqual([]);
    } finally {
      await store.close();
      await dropStore(url);
    }
  });
});

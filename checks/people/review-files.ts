import type { Logger } from 'pino';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { PeriodFindings } from '../../src/checks/judge-period.js';
import type { EvidenceConfig } from '../../src/config/schema.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { Window } from '../../src/time.js';
import { peopleSettings } from './package-files.js';
import { registerStreams } from './register.js';
import { reviewAccounts } from './review-accounts.js';
import { writeReviewWorkbooks, type ReviewNaming } from './review-workbook.js';

/** The access review workbooks of a period, read through the same read-only facts interface checks use. */
export async function writeAccessReviewFiles(input: {
  store: EvidenceStore;
  collectedStreams: readonly string[];
  config: EvidenceConfig['people'];
  baseDir: string;
  period: Window & { label: string };
  findings: PeriodFindings;
  naming: ReviewNaming;
  out: string;
  writtenAt: number;
  logger: Logger;
}) {
  const settings = peopleSettings(input.config, input.baseDir);
  const facts = new StoreFacts(
    input.store,
    'access-review',
    new Set(registerStreams(settings)),
    new Set(input.collectedStreams),
    (fact) => input.logger.warn({ ...fact }, 'access review: a stored payload could not be read'),
  );
  const accounts = await reviewAccounts(facts, input.period, settings, input.findings);
  return writeReviewWorkbooks({
    accounts,
    period: input.period,
    naming: input.naming,
    checks: input.findings.checks.map((check) => ({ id: check.id, version: check.version })),
    out: input.out,
    writtenAt: input.writtenAt,
  });
}

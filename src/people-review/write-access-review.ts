import type { App } from '../app.js';
import { findArtefactType, loadArtefactTypes } from '../artefacts/artefact-types.js';
import { ensureOutDir } from '../export/out-dir.js';
import type { Window } from '../time.js';
import { writeAccessReviewFiles } from '../../checks/people/review-files.js';

/** What `access-review` wrote: one workbook and CSV per system, and the summary (file names under `out`). */
export type WrittenAccessReview = Awaited<ReturnType<typeof writeAccessReviewFiles>>;

/**
 * The quarterly access review of a period: every account active in it, per system, with the period's
 * findings beside each and empty reviewer columns, named as the access-review artefact type says.
 */
export async function writeAccessReview(
  app: App,
  input: { period: Window & { label: string }; out: string },
): Promise<WrittenAccessReview> {
  await ensureOutDir(input.out);
  const type = findArtefactType(loadArtefactTypes(app.catalogue), 'access-review');
  return writeAccessReviewFiles({
    store: await app.store(),
    collectedStreams: app.registry.streams.map((stream) => stream.id),
    config: app.config.people,
    baseDir: app.loaded.baseDir,
    period: input.period,
    findings: await app.findings(input.period),
    naming: type,
    out: input.out,
    writtenAt: app.clock(),
    logger: app.logger,
  });
}

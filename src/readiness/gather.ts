import type { App } from '../app.js';
import { artefactContinuity } from '../artefacts/continuity.js';
import { openArtefactRegister } from '../artefacts/open-register.js';
import type { ArtefactRegister } from '../artefacts/register.js';
import { buildContinuityReport } from '../continuity/report.js';
import type { ContinuityReport } from '../continuity/types.js';
import type { PeriodFindings } from '../checks/judge-period.js';
import type { Window } from '../time.js';
import type { ArtefactEvidence, DerivedFile, EvidenceInputs, StreamEvidence } from './evidence-map.js';
import { populationFacts, type PopulationFacts } from './population-facts.js';

export interface GatheredEvidence extends EvidenceInputs {
  /** Streams and expected artefact recurrences, as the continuity report shows them. */
  readonly continuity: ContinuityReport;
  /** What the checks found in the period. */
  readonly findings: PeriodFindings;
  readonly register: ArtefactRegister;
}

/** What the package writer already knows about a stream from writing its files. */
export interface WrittenStream {
  readonly facts: PopulationFacts;
  readonly files: readonly string[];
}

/**
 * Collects everything the index and the readiness view need: continuity of streams from the ledger
 * (the artefact recurrences appended unless the report already has them), population facts and the
 * registered artefacts of the period.
 */
export async function gatherEvidence(
  app: App,
  period: Window,
  now: number,
  options: {
    written?: ReadonlyMap<string, WrittenStream>;
    artefactFiles?: ReadonlyMap<string, string>;
    /** The period's findings, when the caller judged it already. */
    findings?: PeriodFindings;
    /** Files the package writer derived across streams, for the index. */
    derivedFiles?: readonly DerivedFile[];
  } = {},
): Promise<GatheredEvidence> {
  const store = await app.store();
  const findings = options.findings ?? (await app.findings(period));
  const report = await buildContinuityReport(store, app.registry, period, now, {
    findings,
    proofs: app.proofs,
  });
  const hasArtefacts = report.streams.some((entry) => entry.kind === 'artefact');
  const artefactEntries = hasArtefacts
    ? report.streams.filter((entry) => entry.kind === 'artefact')
    : await artefactContinuity(store, period, now);
  const continuity: ContinuityReport = hasArtefacts
    ? report
    : {
        ...report,
        streams: [...report.streams, ...artefactEntries],
        complete:
          report.complete &&
          artefactEntries.every((entry) => entry.gaps.every((gap) => gap.cause === 'not_yet_due')),
      };
  const streams: StreamEvidence[] = [];
  for (const stream of app.registry.streams) {
    const written = options.written?.get(stream.id);
    streams.push({
      stream,
      facts: written?.facts ?? (await populationFacts(store, stream.id, period, findings)),
      continuity: report.streams.find((entry) => entry.stream === stream.id),
      files: written?.files ?? [],
    });
  }
  const { register, types } = await openArtefactRegister(app);
  const artefacts: ArtefactEvidence[] = [];
  for (const artefact of await register.overlapping(period)) {
    const type = types.find((candidate) => candidate.type === artefact.type);
    if (type) artefacts.push({ artefact, type, file: options.artefactFiles?.get(artefact.id) });
  }
  return {
    catalogue: app.catalogue,
    categories: app.config.audit.categories,
    streams,
    artefacts,
    artefactTypes: types,
    artefactContinuity: artefactEntries,
    derivedFiles: options.derivedFiles ?? [],
    continuity,
    findings,
    register,
  };
}

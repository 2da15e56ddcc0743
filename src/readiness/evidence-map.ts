import type { ArtefactType } from '../artefacts/artefact-types.js';
import type { Artefact } from '../artefacts/register.js';
import type { Catalogue, Mapping } from '../catalogue/catalogue.js';
import type { FindingStatus, StatusCounts } from '../checks/finding-codes.js';
import type { StreamContinuity } from '../continuity/types.js';
import type { StreamInstance } from '../registry.js';
import type { PopulationFacts } from './population-facts.js';

export interface StreamEvidence {
  readonly stream: StreamInstance;
  readonly facts: PopulationFacts;
  readonly continuity: StreamContinuity | undefined;
  /** Files of this stream in the package (empty outside an export). */
  readonly files: readonly string[];
}

export interface ArtefactEvidence {
  readonly artefact: Artefact;
  readonly type: ArtefactType;
  /** Its name in the package (empty outside an export). */
  readonly file: string | undefined;
}

/** One row of the control-to-evidence index: a criterion, its ISO origin and what evidences it. */
export interface CriterionEvidence {
  readonly criterion: string;
  readonly category: string;
  readonly title: string;
  readonly origins: readonly Mapping[];
  readonly streams: readonly StreamEvidence[];
  readonly artefacts: readonly ArtefactEvidence[];
  /** Artefact types that may evidence it, registered or not (what to look for in the ISMS). */
  readonly artefactTypes: readonly ArtefactType[];
  readonly population: number;
  /** Items of its populations with findings, by status: only `deviation` counts items with deviations. */
  readonly flagged: StatusCounts;
  /** The weakest continuity among its streams and expected artefacts; null when nothing evidences it. */
  readonly continuityPercent: number | null;
  readonly files: readonly string[];
  readonly evidenced: boolean;
}

/** A package file the check side derives across streams (the people register's files), listed under its criteria. */
export interface DerivedFile {
  readonly file: string;
  readonly criteria: readonly string[];
}

export interface EvidenceInputs {
  readonly catalogue: Catalogue;
  readonly categories: readonly string[];
  readonly streams: readonly StreamEvidence[];
  readonly artefacts: readonly ArtefactEvidence[];
  readonly artefactTypes: readonly ArtefactType[];
  /** Continuity entries of kind 'artefact' (expected recurrences). */
  readonly artefactContinuity: readonly StreamContinuity[];
  /** Files derived across streams (empty outside an export); they list, not count: their rows are the streams'. */
  readonly derivedFiles?: readonly DerivedFile[];
}

function addStatuses(counts: readonly StatusCounts[]): StatusCounts {
  const sum = (status: FindingStatus) => counts.reduce((total, entry) => total + entry[status], 0);
  return {
    deviation: sum('deviation'),
    'evidence pending collection': sum('evidence pending collection'),
    'evidence unreadable': sum('evidence unreadable'),
  };
}

const collected = (entry: StreamEvidence) =>
  entry.facts.items > 0 || (entry.continuity?.coveragePercent ?? 0) > 0;

/** Every criterion in scope (Security always, other categories when configured) with its evidence. */
export function mapCriteriaToEvidence(inputs: EvidenceInputs): CriterionEvidence[] {
  return inputs.catalogue.inScope(inputs.categories).map((criterion) => {
    const id = criterion.criterion_id;
    const streams = inputs.streams.filter((entry) => entry.stream.criteria.includes(id));
    const artefacts = inputs.artefacts.filter((entry) => entry.type.criteria.includes(id));
    const artefactTypes = inputs.artefactTypes.filter((type) => type.criteria.includes(id));
    const continuities = [
      ...streams.map((entry) => entry.continuity?.coveragePercent),
      // An expected recurrence counts once the company keeps that artefact (one is registered in the period).
      ...inputs.artefactContinuity
        .filter((entry) => artefacts.some((used) => entry.stream === `artefact:${used.type.type}`))
        .map((entry) => entry.coveragePercent),
    ].filter((value): value is number => value !== undefined);
    return {
      criterion: id,
      category: criterion.category,
      title: criterion.short_title,
      origins: inputs.catalogue.originsOf(id),
      streams,
      artefacts,
      artefactTypes,
      population: streams.reduce((sum, entry) => sum + entry.facts.items, 0),
      flagged: addStatuses(streams.map((entry) => entry.facts.flagged)),
      continuityPercent: continuities.length ? Math.min(...continuities) : null,
      files: [
        ...streams.flatMap((entry) => entry.files),
        ...artefacts.flatMap((entry) => (entry.file ? [entry.file] : [])),
        ...(inputs.derivedFiles ?? [])
          .filter((entry) => entry.criteria.includes(id))
          .map((entry) => entry.file),
      ],
      // A configured stream that never collected anything in the period evidences nothing yet.
      evidenced: streams.some(collected) || artefacts.length > 0,
    };
  });
}

/** The ISO reuse view: for an Annex A control, the criteria it may support and whether evidence exists. */
export interface ControlReuse {
  readonly control: string;
  readonly title: string;
  readonly theme: string;
  readonly criteria: readonly Mapping[];
  readonly criteriaInScope: readonly string[];
  readonly streams: readonly string[];
  readonly artefacts: readonly string[];
  readonly evidenceExists: boolean;
}

export function isoReuseView(inputs: EvidenceInputs): ControlReuse[] {
  const inScope = new Set(inputs.catalogue.inScope(inputs.categories).map((row) => row.criterion_id));
  return [...inputs.catalogue.controls.values()].map((control) => {
    const id = control.control_id;
    const criteria = inputs.catalogue.criteriaOf(id);
    const streams = inputs.streams
      .filter((entry) => entry.stream.isoControls.includes(id) && entry.facts.items > 0)
      .map((entry) => entry.stream.id);
    const artefacts = inputs.artefacts
      .filter((entry) => entry.type.isoControls.includes(id))
      .map((entry) => entry.file ?? entry.artefact.file_name);
    return {
      control: id,
      title: control.title,
      theme: control.theme,
      criteria,
      criteriaInScope: [
        ...new Set(criteria.map((pair) => pair.tsc_criterion_id).filter((c) => inScope.has(c))),
      ],
      streams,
      artefacts,
      evidenceExists: streams.length > 0 || artefacts.length > 0,
    };
  });
}

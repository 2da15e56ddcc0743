import type { PeriodFindings } from '../../checks/judge-period.js';
import type { App } from '../../app.js';
import { UsageError } from '../../errors.js';
import { gatherEvidence } from '../../readiness/gather.js';
import type { AuditPeriod } from '../audit-period.js';
import type { SystemDescription } from './model.js';
import { peopleBlocks } from './people.js';
import {
  boundarySections,
  changeSection,
  componentSections,
  criteriaSection,
  environmentSections,
  servicesSections,
  userEntitySections,
  type SectionInputs,
} from './sections.js';
import { CitedFiles, connectorContributions } from './sources.js';

/**
 * The draft of the system description for a period, from the store and config only. A period in which
 * nothing was collected has nothing to describe: one line, exit 2, rather than a document of blanks.
 */
export async function buildSystemDescription(
  app: App,
  period: AuditPeriod,
  findings?: PeriodFindings,
): Promise<SystemDescription> {
  const gathered = await gatherEvidence(app, period, app.clock(), findings ? { findings } : {});
  const collected = gathered.streams.some(
    (entry) => entry.facts.items > 0 || (entry.continuity?.coveragePercent ?? 0) > 0,
  );
  if (!collected)
    throw new UsageError(
      `--period: nothing was collected in ${period.label}; backfill it first or choose a period with evidence`,
    );
  const cited = new CitedFiles();
  const contributions = await connectorContributions(app, period, gathered, cited);
  const people = await peopleBlocks(app, period, cited);
  const inputs: SectionInputs = { app, period, gathered, contributions, cited, people };
  const sections = [
    ...servicesSections(inputs),
    ...componentSections(inputs),
    ...boundarySections(inputs),
    ...environmentSections(inputs),
    ...userEntitySections(),
    changeSection(inputs),
    criteriaSection(inputs),
  ];
  return {
    title: `System description (DC 200, Section III), draft for ${period.label}`,
    periodLabel: period.label,
    sections,
    cited: cited.all(),
  };
}

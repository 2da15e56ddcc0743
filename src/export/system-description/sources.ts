import type { App } from '../../app.js';
import type { GatheredEvidence } from '../../readiness/gather.js';
import type { StreamInstance } from '../../registry.js';
import { EvidenceRepository } from '../../store/evidence-repository.js';
import type { AuditPeriod } from '../audit-period.js';
import { populationFileNames } from '../population-file.js';
import type { DescriberInput, StoredFact, SystemContribution } from './describer.js';
import type { Citation } from './model.js';

/** Collects every citation the draft makes, so its last section can list the package files it refers to. */
export class CitedFiles {
  private readonly byFile = new Map<string, Citation>();

  add(cite: Citation): Citation {
    this.byFile.set(cite.file, cite);
    return cite;
  }

  all(): Citation[] {
    return [...this.byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  }
}

/** A stream's population file in the package (the workbook) and the rows it holds for the period. */
export function populationCitation(
  stream: StreamInstance,
  period: AuditPeriod,
  gathered: GatheredEvidence,
  cited: CitedFiles,
): Citation {
  const rows = gathered.streams.find((entry) => entry.stream.id === stream.id)?.facts.items ?? 0;
  return cited.add({ file: populationFileNames(stream, period).xlsx, rows });
}

export interface ConnectorContribution {
  readonly connector: string;
  readonly description: string;
  readonly contribution: SystemContribution;
}

/** Asks each configured connector that declares a describer what its stored facts say of the system. */
export async function connectorContributions(
  app: App,
  period: AuditPeriod,
  gathered: GatheredEvidence,
  cited: CitedFiles,
): Promise<ConnectorContribution[]> {
  const evidence = new EvidenceRepository(await app.store());
  const contributions: ConnectorContribution[] = [];
  for (const instance of app.registry.connectors) {
    const describe = instance.connector.systemDescription;
    const streams = instance.streams.map((stream) => stream.id);
    const input: DescriberInput<unknown> = {
      config: instance.config,
      period,
      streams,
      async *facts(stream: string): AsyncIterable<StoredFact> {
        if (!streams.includes(stream)) return;
        for await (const row of evidence.population(stream, period.start, period.end))
          yield { key: row.item_key, occurredAt: Number(row.occurred_at), payload: JSON.parse(row.payload) };
      },
      cite: (stream) =>
        streams.includes(stream)
          ? populationCitation(app.registry.stream(stream), period, gathered, cited)
          : undefined,
    };
    contributions.push({
      connector: instance.connector.id,
      description: instance.connector.description,
      contribution: describe ? await describe(input) : {},
    });
  }
  return contributions;
}

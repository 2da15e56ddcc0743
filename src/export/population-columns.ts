import type { RecordedFinding } from '../checks/judge-period.js';
import type { StreamDefinition } from '../stream.js';
import type { EvidenceItemRow } from '../store/schema.js';
import type { ColumnKind } from './column-kind.js';
import type { CellValue } from './neutralise.js';

/** A stored item as the population file reads it. */
export interface PopulationRow {
  readonly key: string;
  readonly occurredAt: number;
  readonly collectedAt: number;
  readonly version: number;
  readonly payload: unknown;
  readonly payloadText: string;
  readonly payloadSha256: string;
  /** What the checks found on this item in the period (derived: never stored with the item). */
  readonly findings: readonly RecordedFinding[];
}

export function toPopulationRow(
  row: EvidenceItemRow,
  findings: readonly RecordedFinding[] = [],
): PopulationRow {
  return {
    key: row.item_key,
    occurredAt: Number(row.occurred_at),
    collectedAt: Number(row.collected_at),
    version: row.version,
    payload: JSON.parse(row.payload) as unknown,
    payloadText: row.payload,
    payloadSha256: row.payload_sha256,
    findings,
  };
}

export interface PopulationLayout {
  readonly headers: readonly string[];
  /** Per header, what the column holds (undefined: let the workbook find ISO timestamps). */
  readonly kinds: readonly (ColumnKind | undefined)[];
  cells(row: PopulationRow): CellValue[];
}

/**
 * Columns read from other stored facts than the item's own, added to a stream's population by the check
 * side (the change ticket of each production change): derived when the file is written, never stored.
 */
export interface DerivedColumns {
  readonly headers: readonly string[];
  readonly kinds: readonly (ColumnKind | undefined)[];
  cells(row: PopulationRow): CellValue[];
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * Columns every population file has (key, both timestamps, version, findings and the checks behind them,
 * payload hash: the hash ties
 * a row back to the store's hash chain), around the fields the stream declares an auditor tests. A stream
 * that declares none shows its payload as JSON, so nothing collected is hidden.
 */
export function populationLayout(definition: StreamDefinition, derived?: DerivedColumns): PopulationLayout {
  const declared = definition.populationColumns ?? [];
  const headers = [
    'Item key',
    'Occurred at (UTC)',
    'Collected at (UTC)',
    'Version',
    ...declared.map((column) => column.header),
    ...(declared.length === 0 ? ['Payload (JSON)'] : []),
    ...(derived?.headers ?? []),
    'Findings',
    'Check',
    'Payload SHA-256',
  ];
  const kinds: (ColumnKind | undefined)[] = [
    'text',
    'date',
    'date',
    'number',
    ...declared.map((column) => column.kind),
    ...(declared.length === 0 ? ['text' as const] : []),
    ...(derived?.kinds ?? []),
    'findings',
    'text',
    'text',
  ];
  return {
    headers,
    kinds,
    cells(row) {
      const item = { key: row.key, occurredAt: row.occurredAt, payload: row.payload };
      return [
        row.key,
        iso(row.occurredAt),
        iso(row.collectedAt),
        row.version,
        ...declared.map((column) => column.value(item)),
        ...(declared.length === 0 ? [row.payloadText] : []),
        ...(derived ? derived.cells(row) : []),
        row.findings.map((finding) => finding.code).join('; '),
        [...new Set(row.findings.map((finding) => finding.checkRef))].join('; '),
        row.payloadSha256,
      ];
    },
  };
}

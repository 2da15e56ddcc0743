import type { Window } from '../../time.js';
import type { Block, Citation } from './model.js';

/** A stored item of one of the connector's streams, latest version, occurredAt inside the period. */
export interface StoredFact {
  readonly key: string;
  readonly occurredAt: number;
  readonly payload: unknown;
}

/** What a connector's describer is given: its config and its own streams' stored facts, never the source. */
export interface DescriberInput<TConfig> {
  readonly config: TConfig;
  readonly period: Window;
  /** Streams of this connector that are configured here. */
  readonly streams: readonly string[];
  facts(stream: string): AsyncIterable<StoredFact>;
  /** The population file of a stream in the package and its row count, to cite beside a figure. */
  cite(stream: string): Citation | undefined;
}

/** A significant change of the period, dated and cited. */
export interface SignificantChange {
  readonly at: number;
  readonly text: string;
  readonly cite?: Citation;
}

/** What one connector contributes to the draft; every figure cites the population it was counted from. */
export interface SystemContribution {
  readonly infrastructure?: readonly Block[];
  readonly software?: readonly Block[];
  readonly people?: readonly Block[];
  /** Configured exclusions: what is deliberately outside the boundary. */
  readonly exclusions?: readonly string[];
  readonly changes?: readonly SignificantChange[];
}

/** Declared by a connector (`systemDescription`): reads stored facts only, like a check. */
export type SystemDescriber<TConfig = unknown> = (
  input: DescriberInput<TConfig>,
) => Promise<SystemContribution>;

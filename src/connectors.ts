import type { ConnectorDefinition } from './stream.js';

/** The connectors shipped with evidence-worker; each lives in its own folder under connectors/. */
export const builtInConnectors: readonly ConnectorDefinition[] = [];

import { defineManifest, type StreamMetadata } from '../../src/stream.js';
import { hrFileConfigSchema, type HrFileConfig } from './config.js';

// What `streams` and `catalog` read: the connector and its streams in the auditor's words, without the code
// that collects them (index.ts adds that), so listing them loads no client, payload schema or SDK.

/** The streams, keyed by id; each stream's definition spreads its entry. */
export const hrFileStreams = {
  'hr-workforce': {
    id: 'hr-workforce',
    description: 'Daily observation of every employee in the HR export, diffed against the previous day',
    kind: 'snapshot',
    population:
      'Every employee the HR system of record lists on each day, and every hire, termination and move between consecutive days',
    evidenceName: 'HR_Workforce',
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    isoControls: ['A.5.16', 'A.5.18', 'A.6.1', 'A.6.5'],
    cadence: '1d',
    silenceThreshold: '2d',
    sourceLag: '0m',
  },
} satisfies Record<string, StreamMetadata>;

/** HR file: the employee export a company already has (CSV or XLSX), the system of record for people. */
export const hrFileManifest = defineManifest<HrFileConfig>({
  id: 'hr-file',
  description:
    'Employee exports (CSV or XLSX) from the HR system: BambooHR, Rippling, Gusto, HiBob, Personio, Deel or any',
  configSchema: hrFileConfigSchema,
  streams: Object.values(hrFileStreams),
});

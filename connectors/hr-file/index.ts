import { defineConnector } from '../../src/stream.js';
import { createHrFileClient, type HrFileClient } from './client.js';
import { hrFileConfigSchema, type HrFileConfig } from './config.js';
import { workforceStream } from './streams/workforce.js';

/** HR file: the employee export a company already has (CSV or XLSX), the system of record for people. */
export const hrFileConnector = defineConnector<HrFileConfig, HrFileClient>({
  id: 'hr-file',
  description:
    'Employee exports (CSV or XLSX) from the HR system: BambooHR, Rippling, Gusto, HiBob, Personio, Deel or any',
  configSchema: hrFileConfigSchema,
  createClient: (config) => createHrFileClient(config),
  streams: [workforceStream],
});

export const connector = hrFileConnector;

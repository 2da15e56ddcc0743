import { defineConnector } from '../../src/stream.js';
import { hrFileManifest } from './manifest.js';
import { createHrFileClient, type HrFileClient } from './client.js';
import type { HrFileConfig } from './config.js';
import { workforceStream } from './streams/workforce.js';

/** HR file: the employee export a company already has (CSV or XLSX), the system of record for people. */
export const hrFileConnector = defineConnector<HrFileConfig, HrFileClient>({
  ...hrFileManifest,
  createClient: (config) => createHrFileClient(config),
  streams: [workforceStream],
});

export const connector = hrFileConnector;

import type { EvidenceConfig } from '../../src/config/schema.js';
import { readMappingsFile } from './mappings-file.js';
import type { PeopleSettings } from './settings.js';

/** The `people` section of the config with its mapping file read (relative to the config file). */
export function peopleSettings(config: EvidenceConfig['people'], baseDir: string): PeopleSettings {
  return {
    mappings: config.mappings === undefined ? [] : readMappingsFile(config.mappings, baseDir),
    serviceAccounts: config.serviceAccounts,
    iamEmailTag: config.iamEmailTag,
  };
}

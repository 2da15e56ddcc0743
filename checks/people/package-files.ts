import type { Logger } from 'pino';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { EvidenceConfig } from '../../src/config/schema.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { Window } from '../../src/time.js';
import { readMappingsFile } from './mappings-file.js';
import { writePeopleFiles, type PeopleFiles } from './people-files.js';
import { registerStreams } from './register.js';
import type { PeopleSettings } from './settings.js';

export function peopleSettings(config: EvidenceConfig['people'], baseDir: string): PeopleSettings {
  return {
    mappings: config.mappings === undefined ? [] : readMappingsFile(config.mappings, baseDir),
    serviceAccounts: config.serviceAccounts,
    iamEmailTag: config.iamEmailTag,
  };
}

/** The package's people files, read through the same read-only facts interface checks use. */
export async function writePeoplePackageFiles(input: {
  store: EvidenceStore;
  collectedStreams: readonly string[];
  config: EvidenceConfig['people'];
  baseDir: string;
  period: Window & { label: string };
  out: string;
  logger: Logger;
}): Promise<PeopleFiles> {
  const settings = peopleSettings(input.config, input.baseDir);
  const facts = new StoreFacts(
    input.store,
    'people-register',
    new Set(registerStreams(settings)),
    new Set(input.collectedStreams),
    (fact) => input.logger.warn({ ...fact }, 'people register: a stored payload could not be read'),
  );
  return writePeopleFiles(facts, input.period, settings, input.out);
}

import type { Logger } from 'pino';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { EvidenceConfig } from '../../src/config/schema.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { Window } from '../../src/time.js';
import { peopleSettings } from './configured-settings.js';
import { writePeopleFiles, type PeopleFiles } from './people-files.js';

export { peopleSettings };
import { leaverAccessRemoval } from '../leaver-access-removal.js';
import { personMfa } from '../person-mfa.js';
import { writeLifecycleFiles } from './lifecycle-files.js';
import type { LeaverPolicy } from './leaver-rows.js';

/** The package's people files, read through the same read-only facts interface checks use. */
export async function writePeoplePackageFiles(input: {
  store: EvidenceStore;
  collectedStreams: readonly string[];
  config: EvidenceConfig['people'];
  baseDir: string;
  period: Window & { label: string };
  out: string;
  logger: Logger;
  /** The leaver check's policy in force (its SLA), so the leaver file says what its findings say. */
  leaverPolicy: LeaverPolicy;
}): Promise<PeopleFiles> {
  const settings = peopleSettings(input.config, input.baseDir);
  const facts = new StoreFacts(
    input.store,
    'people-register',
    new Set([...leaverAccessRemoval.streams, ...personMfa.streams]),
    new Set(input.collectedStreams),
    (fact) => input.logger.warn({ ...fact }, 'people register: a stored payload could not be read'),
  );
  const people = await writePeopleFiles(facts, input.period, settings, input.out);
  const lifecycle = await writeLifecycleFiles(facts, input.period, settings, input.leaverPolicy, input.out);
  return { ...people, files: [...people.files, ...lifecycle] };
}

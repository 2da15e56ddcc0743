import type { Logger } from 'pino';
import { StoreFacts } from '../../src/checks/store-facts.js';
import type { EvidenceConfig } from '../../src/config/schema.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import type { Window } from '../../src/time.js';
import { peopleSettings } from './configured-settings.js';
import { buildPeopleRegister, readPeopleSnapshots } from './people-snapshots.js';
import { writePeopleFilesOf, type PeopleFiles } from './people-files.js';
import type { PeopleRegister } from './register.js';

export { peopleSettings };
import type { DerivedFile } from '../../src/readiness/evidence-map.js';
import { leaverAccessRemoval } from '../leaver-access-removal.js';
import { orphanAccounts } from '../orphan-accounts.js';
import { personMfa } from '../person-mfa.js';
import { PEOPLE_FILE_NAMES, type PeopleFile } from './file-names.js';
import { writeLifecycleFilesOf } from './lifecycle-files.js';
import type { LeaverPolicy } from './leaver-rows.js';

interface PeopleInput {
  store: EvidenceStore;
  collectedStreams: readonly string[];
  config: EvidenceConfig['people'];
  baseDir: string;
  logger: Logger;
}

/** The people streams read through the same read-only facts interface checks use. */
function peopleFacts(input: PeopleInput): StoreFacts {
  return new StoreFacts(
    input.store,
    'people-register',
    new Set([...leaverAccessRemoval.streams, ...personMfa.streams]),
    new Set(input.collectedStreams),
    (fact) => input.logger.warn({ ...fact }, 'people register: a stored payload could not be read'),
  );
}

/** The people register of a period from the store, as the package's people files hold it. */
export async function readPeopleRegister(input: PeopleInput & { period: Window }): Promise<PeopleRegister> {
  return buildPeopleRegister(peopleFacts(input), input.period, peopleSettings(input.config, input.baseDir));
}

/**
 * The criteria each people file evidences in the index: the populations the register's (CC6.1 who may have
 * access, CC6.2 registration and removal, CC6.3 changes), the judged files their checks'.
 */
const FILE_CRITERIA: Record<PeopleFile, readonly string[]> = {
  workforce: ['CC6.1', 'CC6.2'],
  joinersMoversLeavers: ['CC6.2', 'CC6.3'],
  leaverAccessRemoval: leaverAccessRemoval.criteria,
  orphanAccounts: orphanAccounts.criteria,
  mfaPerPerson: personMfa.criteria,
};

const derived = (file: string): DerivedFile => {
  const kind = (Object.keys(PEOPLE_FILE_NAMES) as PeopleFile[]).find((name) =>
    file.startsWith(PEOPLE_FILE_NAMES[name]),
  );
  return { file, criteria: kind ? FILE_CRITERIA[kind] : [] };
};

/** The package's people files, each with the criteria the index lists it under. */
export async function writePeoplePackageFiles(
  input: PeopleInput & {
    period: Window & { label: string };
    out: string;
    /** The leaver check's policy in force (its SLA), so the leaver file says what its findings say. */
    leaverPolicy: LeaverPolicy;
  },
): Promise<PeopleFiles & { derived: DerivedFile[] }> {
  const settings = peopleSettings(input.config, input.baseDir);
  const facts = peopleFacts(input);
  // One read of the account streams serves the workforce, leaver, orphan and MFA files alike.
  const snapshots = await readPeopleSnapshots(facts, input.period, settings);
  const people = await writePeopleFilesOf(snapshots.register, input.period, input.out);
  const lifecycle = await writeLifecycleFilesOf(
    facts,
    input.period,
    snapshots,
    input.leaverPolicy,
    input.out,
  );
  const files = [...people.files, ...lifecycle];
  return { ...people, files, derived: files.map(derived) };
}

import path from 'node:path';
import type { App } from '../app.js';
import { loadArtefactTypes, type ArtefactType } from './artefact-types.js';
import { dataDirectory } from './data-directory.js';
import { EvidenceLocker } from './locker.js';
import { ArtefactRegister } from './register.js';

/** The register of this app's store, its locker under the data directory, and the artefact types. */
export async function openArtefactRegister(
  app: App,
): Promise<{ register: ArtefactRegister; types: ArtefactType[] }> {
  const root = path.join(dataDirectory(app.config.store.url, app.loaded.baseDir), 'locker');
  return {
    register: new ArtefactRegister(await app.store(), new EvidenceLocker(root)),
    types: loadArtefactTypes(app.catalogue),
  };
}

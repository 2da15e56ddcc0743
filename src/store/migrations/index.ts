import type { Kysely } from 'kysely';
import type { Dialect } from '../open-store.js';
import * as core from './0001-core.js';
import * as alerts from './0002-alerts.js';
import * as artefacts from './0003-artefacts.js';
import * as runsScanIndex from './0004-runs-scan-index.js';
import * as runsStatusPartial from './0005-runs-status-partial.js';
import * as evidenceTimeline from './0006-evidence-timeline-index.js';
import * as rejectsProvenance from './0007-rejects-provenance.js';

export interface Migration {
  readonly name: string;
  readonly up: (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;
}

/** Ordered; a name once released never changes. */
export const migrations: readonly Migration[] = [
  { name: '0001-core', up: core.up },
  { name: '0002-alerts', up: alerts.up },
  { name: '0003-artefacts', up: artefacts.up },
  { name: '0004-runs-scan-index', up: runsScanIndex.up },
  { name: '0005-runs-status-partial', up: runsStatusPartial.up },
  { name: '0006-evidence-timeline-index', up: evidenceTimeline.up },
  { name: '0007-rejects-provenance', up: rejectsProvenance.up },
];

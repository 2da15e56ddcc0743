import type { CliCommand } from '../command.js';
// Each command file registers its options only and imports what its action uses when it runs, so
// `--help`, `catalog` or `verify` never load the SDKs, the queue or the web server.
import { accessReviewCommand } from './access-review.js';
import { artefactsCommand } from './artefacts.js';
import { backfillCommand } from './backfill.js';
import { catalogCommand } from './catalog.js';
import { checksCommand } from './checks.js';
import { collectCommand } from './collect.js';
import { continuityCommand } from './continuity.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { keysCommand } from './keys.js';
import { readinessCommand } from './readiness.js';
import { sampleCommand } from './sample.js';
import { sandboxCommand } from './sandbox.js';
import { startCommand } from './start.js';
import { streamsCommand } from './streams.js';
import { systemDescriptionCommand } from './system-description.js';
import { verifyCommand } from './verify.js';
import { verifyStoreCommand } from './verify-store.js';

export const commands: readonly CliCommand[] = [
  startCommand,
  backfillCommand,
  collectCommand,
  streamsCommand,
  checksCommand,
  catalogCommand,
  verifyStoreCommand,
  continuityCommand,
  exportCommand,
  verifyCommand,
  keysCommand,
  artefactsCommand,
  accessReviewCommand,
  readinessCommand,
  systemDescriptionCommand,
  sampleCommand,
  sandboxCommand,
  demoCommand,
];

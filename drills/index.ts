import { killWorkerDrill } from './kill-worker.js';
import { postgresRestartDrill } from './postgres-restart.js';
import { redisLossDrill } from './redis-loss.js';
import { revokedTokenDrill } from './revoked-token.js';
import { sourceFaultsDrill } from './source-faults.js';
import type { Drill } from './support/context.js';

/** Every drill, in the order `npm run drills` runs them. */
export const drills: readonly Drill[] = [
  killWorkerDrill,
  redisLossDrill,
  sourceFaultsDrill,
  revokedTokenDrill,
  postgresRestartDrill,
];

import type { AnyCheck } from '../src/checks/check.js';
import { cloudtrailDigestsCheck } from './cloudtrail-digests.js';

/** The checks shipped with evidence-worker; one file per check in this folder. */
export const builtInChecks: readonly AnyCheck[] = [cloudtrailDigestsCheck];

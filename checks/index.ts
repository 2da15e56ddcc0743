import type { AnyCheck } from '../src/checks/check.js';
import type { HourlyProof } from '../src/continuity/hour-proofs.js';
import { cloudtrailDigestsCheck, cloudtrailDigestsProof } from './cloudtrail-digests.js';

/** The checks shipped with evidence-worker; one file per check in this folder. */
export const builtInChecks: readonly AnyCheck[] = [cloudtrailDigestsCheck];

/** Per-hour proofs some checks give, shown in the continuity report beside their stream's coverage. */
export const builtInProofs: readonly HourlyProof[] = [cloudtrailDigestsProof];

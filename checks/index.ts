import type { AnyCheck } from '../src/checks/check.js';

/** The checks shipped with evidence-worker; one file per check in this folder. */
export const builtInChecks: readonly AnyCheck[] = [];

import type { AnyCheck } from '../src/checks/check.js';
import { changeTicketApproved } from './change-ticket-approved.js';
import { changeTicketLinked } from './change-ticket-linked.js';

/** The checks shipped with evidence-worker; one file per check in this folder. */
export const builtInChecks: readonly AnyCheck[] = [changeTicketLinked, changeTicketApproved];

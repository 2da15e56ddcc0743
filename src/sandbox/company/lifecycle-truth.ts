import { DAY } from '../../time.js';
import type { Company } from './company.js';
import {
  accessEndsAt,
  hasAccount,
  LIFECYCLE_SYSTEMS,
  leftAt,
  PLANTED_COLLECTION_GAP,
  type LifecycleSystem,
} from './lifecycle.js';
import { accountName } from './mfa-truth.js';

export type PlantedLeaverFinding = 'removed_late' | 'not_removed' | 'removal_not_evidenced';

/** One leaver in one system: what the sandboxes did, and what a correct leaver check must conclude. */
export interface LeaverAccessTruth {
  readonly employeeId: string;
  readonly person: string;
  /** The moment the HR system ended the employment, and its UTC day (the HR end date). */
  readonly leftAt: number;
  readonly endDate: string;
  readonly system: LifecycleSystem;
  /** The account as the people register names it (IAM users as `<account id>/<user name>`). */
  readonly account: string;
  /** When the sandbox removed or suspended the account; null when it never did. */
  readonly accessEndedAt: number | null;
  readonly delayMs: number | null;
  /**
   * The source event that records the removal, where the sandbox emits one (Okta System Log, Google
   * admin audit, CloudTrail); otherwise only the daily snapshots bound it, to the day.
   */
  readonly event: string | null;
  /** The planted collection outage the removal falls in, if any. */
  readonly collectionGap: { readonly stream: string; readonly start: number; readonly end: number } | null;
  readonly plantedFinding: PlantedLeaverFinding | null;
}

const EVENT_OF: Record<LifecycleSystem, string | null> = {
  Okta: 'user.lifecycle.deactivate',
  'Google Workspace': 'SUSPEND_USER',
  GitHub: null,
  'AWS IAM': 'DeleteUser',
  // CloudTrail's identitystore DeleteUser names the user id; the snapshots map it to the user.
  'AWS IAM Identity Center': 'DeleteUser',
};

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The planted lifecycle ground truth of the company: every leaver of the period × every system where the
 * leaver had an account, with when access ended in that system's sandbox, whether an event records it and
 * the finding planted there (SLA `slaMs`, 24 hours by default). Pure: derived from the company alone.
 */
export function leaverAccessTruth(
  company: Company,
  options: { awsAccountId?: string; slaMs?: number } = {},
): LeaverAccessTruth[] {
  const awsAccount = options.awsAccountId ?? '123456789012';
  const sla = options.slaMs ?? DAY;
  const end = company.period.end;
  const outage = {
    stream: PLANTED_COLLECTION_GAP.stream,
    start: end - PLANTED_COLLECTION_GAP.fromDaysBeforeEnd * DAY,
    end: end - PLANTED_COLLECTION_GAP.toDaysBeforeEnd * DAY,
  };
  const rows: LeaverAccessTruth[] = [];
  for (const person of company.people) {
    const left = leftAt(company, person.employeeId);
    if (left === null || left < company.period.start || left >= end) continue;
    for (const system of LIFECYCLE_SYSTEMS) {
      if (!hasAccount(person, system)) continue;
      const ended = accessEndsAt(company, person, system);
      const removedInPeriod = ended !== null && ended < end;
      // The outage is of the CloudTrail access changes (and IAM snapshots): it hides the IAM and Identity
      // Store removal events; Identity Center's own snapshots still bound its removal, to the day.
      const inOutage = removedInPeriod && ended >= outage.start && ended < outage.end;
      const hidden = inOutage && (system === 'AWS IAM' || system === 'AWS IAM Identity Center');
      const event = removedInPeriod && !hidden ? EVENT_OF[system] : null;
      const gap = inOutage && system === 'AWS IAM' ? outage : null;
      const plantedFinding: PlantedLeaverFinding | null = !removedInPeriod
        ? 'not_removed'
        : gap
          ? 'removal_not_evidenced'
          : ended - left > sla
            ? 'removed_late'
            : null;
      rows.push({
        employeeId: person.employeeId,
        person: person.email,
        leftAt: left,
        endDate: dayOf(left),
        system,
        account: accountName(person, system, awsAccount),
        accessEndedAt: removedInPeriod ? ended : null,
        delayMs: removedInPeriod ? ended - left : null,
        event,
        collectionGap: gap,
        plantedFinding,
      });
    }
  }
  return rows;
}

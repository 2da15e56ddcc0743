import { z } from 'zod';
import type { SignificantChange, SystemDescriber } from '../../src/export/system-description/describer.js';
import { paragraph, table, todo } from '../../src/export/system-description/model.js';
import type { AwsConfig } from './config.js';

const trail = z.object({
  account: z.string(),
  trailArn: z.string().nullable(),
  isLogging: z.boolean(),
  multiRegion: z.boolean(),
  logFileValidation: z.boolean(),
  startLoggingTime: z.string().nullish(),
  stopLoggingTime: z.string().nullish(),
});
const iamEntity = z.object({
  kind: z.enum(['user', 'group', 'role', 'policy']),
  account: z.string(),
  day: z.string(),
});
const iamChange = z.object({ kind: z.literal('change'), description: z.string() });

const TRAILS = 'aws-trail-status';
const IAM = 'aws-iam-state';

const iso = (at: number) => new Date(at).toISOString();

/** A trail's stop or start time not seen before for that trail, when it lies in the period. */
function newTime(
  seen: Map<string, Set<number>>,
  trailArn: string,
  text: string | null | undefined,
  period: { start: number; end: number },
): number | undefined {
  const at = text ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(at)) return undefined;
  const times = seen.get(trailArn) ?? new Set<number>();
  if (times.has(at)) return undefined;
  seen.set(trailArn, times.add(at));
  return at >= period.start && at < period.end ? at : undefined;
}

/** Accounts and regions from config; trails, their logging and IAM counts from the stored snapshots. */
export const describeAws: SystemDescriber<AwsConfig> = async (input) => {
  const changes: SignificantChange[] = [];
  const trailCite = input.cite(TRAILS);
  const trails = new Map<string, z.infer<typeof trail>>();
  // Per trail, the stop and start times seen so far.
  const stops = new Map<string, Set<number>>();
  const starts = new Map<string, Set<number>>();
  const logged = (at: number, text: string) =>
    changes.push({ at, text, ...(trailCite ? { cite: trailCite } : {}) });
  for await (const fact of input.facts(TRAILS)) {
    const parsed = trail.safeParse(fact.payload);
    if (!parsed.success || !parsed.data.trailArn) continue;
    const { trailArn, stopLoggingTime, startLoggingTime } = parsed.data;
    const before = trails.get(trailArn);
    // Logging that stops and starts again is the change an auditor asks about first. A daily observation
    // rarely sees the trail off, but GetTrailStatus keeps the last stop and start times: date them from those.
    const stoppedAt = newTime(stops, trailArn, stopLoggingTime, input.period);
    const startedAt = newTime(starts, trailArn, startLoggingTime, input.period);
    if (stoppedAt !== undefined)
      logged(stoppedAt, `Logging stopped on trail ${trailArn} at ${iso(stoppedAt)}`);
    if (startedAt !== undefined)
      logged(
        startedAt,
        `Logging ${stops.has(trailArn) ? 'restarted' : 'started'} on trail ${trailArn} at ${iso(startedAt)}`,
      );
    else if (stoppedAt === undefined && before && before.isLogging !== parsed.data.isLogging)
      logged(
        fact.occurredAt,
        `Logging ${parsed.data.isLogging ? 'restarted' : 'stopped'} on trail ${trailArn} (observed)`,
      );
    trails.set(trailArn, parsed.data);
  }
  const iamCite = input.cite(IAM);
  const lastDay = new Map<string, string>();
  const counts = new Map<string, Record<string, number>>();
  for await (const fact of input.facts(IAM)) {
    const entity = iamEntity.safeParse(fact.payload);
    if (entity.success) {
      const { account, day, kind } = entity.data;
      if ((lastDay.get(account) ?? '') < day) {
        lastDay.set(account, day);
        counts.set(account, {});
      }
      if (lastDay.get(account) === day) {
        const byKind = counts.get(account)!;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      continue;
    }
    const changed = iamChange.safeParse(fact.payload);
    if (changed.success && /admin/i.test(changed.data.description))
      changes.push({
        at: fact.occurredAt,
        text: changed.data.description,
        ...(iamCite ? { cite: iamCite } : {}),
      });
  }
  const accounts = input.config.accounts;
  const regions = new Set(accounts.flatMap((account) => account.regions));
  const trailRows = [...trails.values()].map((entry) => [
    entry.account,
    entry.trailArn ?? '',
    entry.isLogging ? 'logging' : 'not logging',
    entry.multiRegion ? 'yes' : 'no',
    entry.logFileValidation ? 'yes' : 'no',
  ]);
  const iamRows = accounts.map((account) => {
    const byKind = counts.get(account.id) ?? {};
    return [
      account.id,
      lastDay.get(account.id) ?? 'not observed',
      ...['user', 'group', 'role', 'policy'].map((k) => String(byKind[k] ?? 0)),
    ];
  });
  return {
    infrastructure: [
      paragraph(
        `AWS: ${accounts.length} accounts in scope (${accounts.map((account) => account.id).join(', ')}), ${regions.size} regions (${[...regions].sort().join(', ')}), from the configuration.`,
      ),
      trailRows.length
        ? paragraph(
            `${trailRows.length} CloudTrail trails, state at the end of the period:`,
            trailCite ? [trailCite] : [],
          )
        : todo('no CloudTrail trail status was collected in the period; say how activity is logged'),
      ...(trailRows.length
        ? [table(['Account', 'Trail', 'State', 'Multi-region', 'Log file validation'], trailRows)]
        : []),
      paragraph('IAM principals on the last observed day of the period:', iamCite ? [iamCite] : []),
      table(['Account', 'Day', 'Users', 'Groups', 'Roles', 'Policies'], iamRows),
    ],
    exclusions: [`AWS regions other than ${[...regions].sort().join(', ')}`],
    changes,
  };
};

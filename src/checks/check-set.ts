import { z } from 'zod';
import type { Catalogue } from '../catalogue/catalogue.js';
import { formatConfigIssues } from '../config/config-issue.js';
import { UsageError } from '../errors.js';
import type { AnyCheck } from './check.js';

/** `checks.<id>` in config: `enabled` plus the check's own policy fields. */
export const checkSettingsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** A check as it runs here: its definition and the policy in force (defaults plus the company's config). */
export interface CheckInstance {
  readonly id: string;
  readonly version: number;
  /** `id@version`, as every finding cites it. */
  readonly ref: string;
  readonly definition: AnyCheck;
  readonly policy: unknown;
  readonly enabled: boolean;
}

export interface CheckSet {
  readonly checks: readonly CheckInstance[];
  /** The enabled checks that read at least one collected stream: the ones that judge this deployment. */
  active(collected: ReadonlySet<string>): CheckInstance[];
  check(id: string): CheckInstance;
}

/**
 * Resolves the shipped (and module) checks against the config: unknown check ids, policy fields of the
 * wrong type and unknown criteria or controls stop start-up with one line each.
 */
export function buildCheckSet(
  available: readonly AnyCheck[],
  settings: Record<string, Record<string, unknown>>,
  catalogue: Catalogue,
): CheckSet {
  const byId = new Map<string, AnyCheck>();
  for (const check of available) {
    if (byId.has(check.id)) throw new UsageError(`checks: two checks have the id "${check.id}"`);
    byId.set(check.id, check);
    for (const id of check.criteria)
      if (!catalogue.isCriterion(id))
        throw new UsageError(`check ${check.id} cites unknown SOC 2 criterion "${id}"`);
    for (const id of check.isoControls)
      if (!catalogue.isControl(id))
        throw new UsageError(`check ${check.id} cites unknown ISO 27001:2022 control "${id}"`);
  }
  for (const id of Object.keys(settings)) {
    if (!byId.has(id))
      throw new UsageError(
        `config: checks.${id}: unknown check (known: ${[...byId.keys()].sort().join(', ')})`,
      );
  }
  const checks = available.map((definition): CheckInstance => {
    const { enabled, ...fields } = settings[definition.id] ?? {};
    if (enabled !== undefined && typeof enabled !== 'boolean')
      throw new UsageError(
        `config: checks.${definition.id}.enabled: expected true or false, got ${JSON.stringify(enabled)}`,
      );
    const parsed = definition.policy.safeParse(fields);
    // Worded as every other config error: the field, what was expected, what was given.
    if (!parsed.success)
      throw new UsageError(
        formatConfigIssues(parsed.error, fields, `checks.${definition.id}`, definition.policy),
      );
    return {
      id: definition.id,
      version: definition.version,
      ref: `${definition.id}@${definition.version}`,
      definition,
      policy: parsed.data,
      enabled: enabled !== false,
    };
  });
  const index = new Map(checks.map((check) => [check.id, check]));
  return {
    checks,
    active: (collected) =>
      checks.filter(
        (check) => check.enabled && check.definition.streams.some((stream) => collected.has(stream)),
      ),
    check(id) {
      const found = index.get(id);
      if (!found)
        throw new UsageError(`unknown check "${id}" (known: ${[...index.keys()].sort().join(', ')})`);
      return found;
    },
  };
}

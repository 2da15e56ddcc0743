import { describe, expect, it } from 'vitest';
import { builtInChecks } from '../../checks/index.js';
import { FACT_UNREADABLE } from '../../src/checks/judge-period.js';
import {
  CONFLICTING_DUPLICATE,
  EVENT_CODES_ON_SNAPSHOTS,
  NOT_DEVIATION_CODES,
} from '../../src/export/finding-status.js';

describe('the codes the package does not count as deviations', () => {
  const declared = new Set(builtInChecks.flatMap((check) => Object.keys(check.codes)));

  it('are codes the shipped checks declare (or the engine and the export give)', () => {
    for (const code of [...NOT_DEVIATION_CODES, ...EVENT_CODES_ON_SNAPSHOTS])
      expect(declared.has(code) || code === FACT_UNREADABLE || code === CONFLICTING_DUPLICATE, code).toBe(
        true,
      );
  });

  it('include every shipped code that says its evidence is not collected, not visible or not evidenced', () => {
    const sayMissingEvidence = builtInChecks.flatMap((check) =>
      Object.entries(check.codes)
        .filter(([, meaning]) =>
          /not (yet )?collected|could not be read|not evidenced|collection gap/.test(meaning),
        )
        .map(([code]) => code),
    );
    expect(sayMissingEvidence.length).toBeGreaterThan(0);
    for (const code of sayMissingEvidence) expect(NOT_DEVIATION_CODES, code).toContain(code);
  });
});

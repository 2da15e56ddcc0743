import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtInChecks } from '../../checks/index.js';
import { declaredCode } from '../../src/checks/check-codes.js';
import { defineCheck } from '../../src/checks/check.js';
import { CONFLICTING_DUPLICATE, FACT_UNREADABLE, FindingCodes } from '../../src/checks/finding-codes.js';

const refOf = (check: { id: string; version: number }) => `${check.id}@${check.version}`;
const shipped = new FindingCodes(builtInChecks.map((definition) => ({ ref: refOf(definition), definition })));

/** A check of a `modules:` file: the core has never heard of its codes. */
const custom = defineCheck({
  id: 'deployment-approval',
  version: 3,
  title: 'Deployment approval',
  description: 'every deployment was approved by someone other than its author',
  criteria: ['CC8.1'],
  isoControls: [],
  streams: ['acme-deployments', 'acme-accounts'],
  codes: {
    deployment_unapproved: 'deployed without an independent approval',
    approval_not_collected: { means: 'the approvals system is not yet collected', status: 'pending' },
    approval_garbled: { means: 'the approval record could not be read', status: 'unreadable' },
    account_created: { means: 'an account was created for the deployment', kind: 'event' },
  },
  policy: z.object({}),
  async *judge() {},
});
const codes = new FindingCodes([{ ref: refOf(custom), definition: custom }]);
const of = (code: string, checkRef = refOf(custom)) => ({ checkRef, code });

describe('status and kind of a finding come from the declaration of the check that gave it', () => {
  it("a custom check's own codes: a sentence is a deviation, a declaration says pending or unreadable", () => {
    expect(codes.status(of('deployment_unapproved'))).toBe('deviation');
    expect(codes.status(of('approval_not_collected'))).toBe('evidence pending collection');
    expect(codes.status(of('approval_garbled'))).toBe('evidence unreadable');
    expect(codes.status(of('account_created'))).toBe('deviation');
  });

  it('the kind defaults to the stream kind, a declared event stays one on a snapshot stream', () => {
    expect(codes.kind(of('deployment_unapproved'), 'events')).toBe('event');
    expect(codes.kind(of('deployment_unapproved'), 'snapshot')).toBe('state');
    expect(codes.kind(of('deployment_unapproved'), undefined)).toBe('state');
    expect(codes.kind(of('account_created'), 'snapshot')).toBe('event');
  });

  it('by the check that gave it: the same code of another check, or an undeclared one, is a deviation', () => {
    expect(codes.status(of('approval_not_collected', 'other-check@1'))).toBe('deviation');
    expect(codes.status(of('approval_not_collected', 'deployment-approval@2'))).toBe('deviation');
    expect(codes.status(of('never_declared'))).toBe('deviation');
  });

  it("the core's own codes are unreadable whatever check or source gave them", () => {
    expect(codes.status(of(FACT_UNREADABLE))).toBe('evidence unreadable');
    expect(codes.status(of(CONFLICTING_DUPLICATE, 'source read'))).toBe('evidence unreadable');
  });

  it('the shipped codes that say their evidence is not collected or not visible are declared no deviation', () => {
    const sayMissingEvidence = builtInChecks.flatMap((check) =>
      Object.entries(check.codes)
        .filter(([, entry]) =>
          /not (yet )?collected|could not be read|not evidenced|collection gap/.test(
            declaredCode(entry).means,
          ),
        )
        .map(([code]) => ({ check, code })),
    );
    expect(sayMissingEvidence.length).toBeGreaterThan(0);
    for (const { check, code } of sayMissingEvidence)
      expect(shipped.status(of(code, refOf(check))), `${check.id} ${code}`).not.toBe('deviation');
    expect(shipped.status(of('2fa_status_not_visible', 'org-two-factor@1'))).toBe('evidence unreadable');
    expect(shipped.kind(of('removed_late', 'leaver-access-removal@2'), 'snapshot')).toBe('event');
  });
});

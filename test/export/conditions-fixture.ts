import { z } from 'zod';
import { defineCheck, judgeEachItem } from '../../src/checks/check.js';
import { defineConnector, defineStream } from '../../src/stream.js';
import { DAY } from '../../src/time.js';

/**
 * A daily snapshot of sign-in principals for the Conditions view: what a day's snapshot holds depends on
 * its day of April alone. alice never has MFA, bob lacks it from the 11th to the 20th, carol on the 4th to
 * the 6th and again from the 26th, dave always has it; the root user signs in on the 8th and the 9th.
 */
const principal = z.object({ login: z.string(), mfa: z.boolean(), rootSignIn: z.boolean() });
type Principal = z.infer<typeof principal>;

const APRIL = Date.UTC(2026, 3, 1);
const between = (day: number, from: number, to: number) => day >= from && day <= to;

/** Who lacks MFA on a day of April (1-based). */
export function withoutMfa(login: string, day: number): boolean {
  if (login === 'alice') return true;
  if (login === 'bob') return between(day, 11, 20);
  if (login === 'carol') return between(day, 4, 6) || day >= 26;
  return false;
}

export const ROOT_SIGN_IN_DAYS = [8, 9];

export const principals = defineStream<unknown, Principal, Record<string, never>>({
  id: 'fixture-principals',
  description: 'sign-in principals, observed daily (fixture)',
  kind: 'snapshot',
  population: 'every principal that could sign in, on every observed day',
  evidenceName: 'Sign_In_Principals',
  criteria: ['CC6.1'],
  isoControls: ['A.5.17'],
  cadence: '1d',
  silenceThreshold: '7d',
  sourceLag: '0s',
  // A real snapshot source shows only the present; the fixture answers for any day, so tests backfill it.
  retention: () => ({ kind: 'forever', reason: 'a fixture: every day can be observed again' }),
  itemSchema: principal,
  populationColumns: [
    { header: 'Login', value: (item) => item.payload.login },
    { header: 'MFA', value: (item) => item.payload.mfa },
  ],
  async *collect(window) {
    const day = Math.round((window.start - APRIL) / DAY) + 1;
    const date = new Date(window.start).toISOString().slice(0, 10);
    for (const login of ['alice', 'bob', 'carol', 'dave', 'root'])
      yield {
        key: `${date}/${login}`,
        occurredAt: window.start,
        payload: {
          login,
          mfa: login === 'root' || !withoutMfa(login, day),
          rootSignIn: login === 'root' && ROOT_SIGN_IN_DAYS.includes(day),
        },
      };
  },
});

export const principalsConnector = defineConnector<Record<string, never>, Record<string, never>>({
  id: 'conditions-fixture',
  description: 'daily principals for conditions tests',
  configSchema: z.object({}).strict(),
  createClient: (config) => config,
  streams: [principals],
});

export const principalMfaCheck = defineCheck({
  id: 'fixture-principal-mfa',
  version: 1,
  title: 'Fixture principal MFA',
  description: 'every principal had MFA on every observed day, and the root user did not sign in',
  criteria: ['CC6.1'],
  isoControls: ['A.5.17'],
  streams: [principals.id],
  codes: { MFA_MISSING: 'a principal without MFA', ROOT_SIGN_IN: 'the root user signed in' },
  policy: z.object({}).strict(),
  judge: judgeEachItem(principals.id, principal, (fact) => [
    ...(fact.payload.mfa
      ? []
      : [
          {
            code: 'MFA_MISSING',
            description: `${fact.payload.login} has no MFA`,
            subject: fact.payload.login,
          },
        ]),
    // No subject: each sign-in is its own condition.
    ...(fact.payload.rootSignIn ? [{ code: 'ROOT_SIGN_IN', description: 'the root user signed in' }] : []),
  ]),
});

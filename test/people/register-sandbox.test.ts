import { registryRunner } from '../support/stream-harness.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMappingsFile } from '../../checks/people/mappings-file.js';
import { writePeopleFiles } from '../../checks/people/people-files.js';
import { registerStreams, type PeopleRegister } from '../../checks/people/register.js';
import type { PeopleSettings } from '../../checks/people/settings.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { StoreFacts } from '../../src/checks/store-facts.js';
import { parseConfig } from '../../src/config/load.js';
import { buildRegistry, type Registry } from '../../src/registry.js';
import { ORPHAN_IAM_USER } from '../../src/sandbox/aws/people-iam.js';
import {
  accessStartsAt,
  buildCompany,
  hasAccessAt,
  type Company,
  type LifecycleSystem,
  type Person,
} from '../../src/sandbox/company/index.js';
import { WITHOUT_SAML_IDENTITY } from '../../src/sandbox/github/index.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, alignDown } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import { SNAPSHOT_STREAMS } from './support/company-store.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const SEED = 7;
const STREAMS: readonly string[] = SNAPSHOT_STREAMS;

let sandboxes: Sandboxes;
let company: Company;
let store: EvidenceStore;
let storeUrl: string;
let registry: Registry;
let settings: PeopleSettings;
let register: PeopleRegister;
let filesDir = '';
const lastDay = { start: alignDown(NOW, DAY) - DAY, end: alignDown(NOW, DAY) };

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: SEED, now: NOW, days: 365 });
  company = buildCompany({ seed: SEED, now: NOW, days: 365 });
  const config = parseConfig({ connectors: sandboxes.connectors }, sandboxes.env);
  registry = await buildRegistry(config, Catalogue.load());
  ({ store, url: storeUrl } = await freshStore('sqlite'));
  const runner = registryRunner(store, registry, sandboxes.env, () => NOW);
  for (const id of STREAMS) {
    const outcome = await runner.collect({
      stream: registry.stream(id),
      window: lastDay,
      trigger: 'schedule',
      attempt: 1,
    });
    expect(outcome.status, `${id}: ${outcome.error?.message ?? ''}`).toBe('succeeded');
  }

  // SAML SSO, IAM email tags and emails link everything else; the file maps only the account they cannot.
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-people-'));
  const grace = company.people.find((p) => p.firstName.toLowerCase() === WITHOUT_SAML_IDENTITY)!;
  writeFileSync(
    path.join(dir, 'mappings.csv'),
    ['system,account,person', `GitHub,${grace.githubLogin},${grace.email}`].join('\n'),
  );
  const service = company.accounts.find((account) => account.kind === 'service')!;
  const owner = company.byId(service.ownerEmployeeId!).email;
  settings = {
    mappings: readMappingsFile('mappings.csv', dir),
    serviceAccounts: ['Okta', 'Google Workspace'].map((system) => ({
      system,
      account: service.login,
      owner,
      reason: service.reason!,
    })),
    iamEmailTag: 'email',
  };
  const facts = new StoreFacts(
    store,
    'people-register',
    new Set(registerStreams(settings)),
    new Set(STREAMS),
    (fact) => {
      throw new Error(`unreadable ${fact.key}: ${fact.problem}`);
    },
  );
  const written = await writePeopleFiles(facts, { ...company.period, label: '2026' }, settings, dir);
  expect(written.files).toHaveLength(4);
  filesDir = dir;
  register = written.register;
}, 120_000);

afterAll(async () => {
  await sandboxes?.stop();
  await store?.close();
  if (storeUrl) await dropStore(storeUrl);
});

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Each system's account name for a person, as the register names it. */
function accountOf(person: Person, system: LifecycleSystem): string {
  if (system === 'GitHub') return person.githubLogin;
  if (system === 'AWS IAM') return `${sandboxes.aws.groundTruth.accountId}/${person.iamUser ?? ''}`;
  return person.email;
}

describe('people register on the seeded company', () => {
  it('has one person per HR record employed in the period, with start and end dates', () => {
    const inPeriod = company.people.filter((p) => p.endDate === null || p.endDate >= company.period.start);
    expect(register.people.map((p) => [p.employeeId, p.email, p.endDate]).sort()).toEqual(
      inPeriod.map((p) => [p.employeeId, p.email, p.endDate === null ? null : dayOf(p.endDate)]).sort(),
    );
  });

  it('links every sandbox account to its person: Okta and Google by email, GitHub by SAML, IAM by tag, Identity Center by email', () => {
    // What each system holds on the observed day: Okta and Google keep leavers (deactivated, suspended).
    const observed = lastDay.end - 1;
    const how: Record<LifecycleSystem, string> = {
      Okta: 'work email',
      'Google Workspace': 'work email',
      GitHub: 'external identity',
      'AWS IAM': 'work email',
      'AWS IAM Identity Center': 'work email',
    };
    for (const system of Object.keys(how) as LifecycleSystem[]) {
      const holders = company.people.filter((person) =>
        system === 'Okta' || system === 'Google Workspace'
          ? accessStartsAt(person, system) <= observed
          : hasAccessAt(company, person, system, observed),
      );
      const expected = holders
        .filter((p) => !(system === 'GitHub' && p.firstName.toLowerCase() === WITHOUT_SAML_IDENTITY))
        .map((p) => `${accountOf(p, system)} -> ${p.email} by ${how[system]}`);
      const linked = register.accounts
        .filter((a) => a.system === system && a.person !== null && a.linkedBy !== 'service account')
        .filter((a) => a.linkedBy !== 'mapping file')
        .map((a) => `${a.accountId} -> ${a.person} by ${a.linkedBy}`);
      expect(expected.length, system).toBeGreaterThan(3);
      expect(linked.sort(), system).toEqual(expected.sort());
    }
  });

  it('lists exactly the planted accounts with no person, the service account of a leaver and the account only the mapping file links', () => {
    const orphan = company.accounts.find((account) => account.kind === 'unlinked')!;
    const unlinked = register.accounts
      .filter((a) => a.person === null)
      .map((a) => `${a.system}:${a.accountId}`)
      .sort();
    // The old contractor, and the account created for nobody late in the period.
    const nobody = company.accounts.filter((account) => account.kind === 'unlinked');
    expect(nobody).toHaveLength(2);
    expect(unlinked).toEqual(
      [
        ...nobody.flatMap((account) => [`Google Workspace:${account.login}`, `Okta:${account.login}`]),
        `AWS IAM:${sandboxes.aws.groundTruth.accountId}/${ORPHAN_IAM_USER}`,
        'GitHub (outside collaborator):kim-contractor',
      ].sort(),
    );
    const service = company.accounts.find((account) => account.kind === 'service')!;
    const owner = company.byId(service.ownerEmployeeId!);
    expect(owner.endDate, 'the service account owner has left').not.toBeNull();
    expect(
      register.accounts
        .filter((a) => a.linkedBy === 'service account')
        .map((a) => `${a.system}:${a.accountId}:${a.person}`)
        .sort(),
    ).toEqual([`Google Workspace:${service.login}:${owner.email}`, `Okta:${service.login}:${owner.email}`]);
    const grace = company.people.find((p) => p.firstName.toLowerCase() === WITHOUT_SAML_IDENTITY)!;
    expect(register.accounts.filter((a) => a.linkedBy === 'mapping file')).toMatchObject([
      { system: 'GitHub', accountId: grace.githubLogin, person: grace.email },
    ]);
    const workforce = readFileSync(path.join(filesDir, 'CC6.1_Workforce_2026.csv'), 'utf8');
    expect(workforce).toContain('unlinked account');
    expect(workforce).toContain('service account');
    expect(workforce).toContain(orphan.login);
    expect(workforce).toContain(ORPHAN_IAM_USER);
  });

  it('writes every joiner and leaver of the period with the date the HR system states', () => {
    const expected = company.events
      .filter((event) => event.kind !== 'mover')
      .map(
        (event) =>
          `${event.kind} ${dayOf(event.kind === 'joiner' ? company.byId(event.employeeId).startDate : event.at)} ${company.byId(event.employeeId).email}`,
      );
    const written = register.events
      .filter((e) => e.event !== 'mover')
      .map((e) => `${e.event} ${e.date} ${e.person}`);
    expect(written.sort()).toEqual(expected.sort());
    const jml = readFileSync(path.join(filesDir, 'CC6.2_Joiners_Movers_Leavers_2026.csv'), 'utf8');
    expect(jml.trim().split('\n')).toHaveLength(1 + register.events.length);
  });
});

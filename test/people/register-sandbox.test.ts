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
import { CollectionRunner } from '../../src/collection/runner.js';
import { parseConfig } from '../../src/config/load.js';
import { LocalLimiter } from '../../src/limiter.js';
import { buildRegistry, type Registry } from '../../src/registry.js';
import { buildCompany, type Company } from '../../src/sandbox/company/index.js';
import { startOktaSandbox, type OktaSandbox } from '../../src/sandbox/okta/index.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, alignDown } from '../../src/time.js';
import { silentLogger } from '../support/app.js';
import { dropStore, freshStore } from '../support/stores.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
const SEED = 7;
const STREAMS = ['hr-workforce', 'okta-users', 'github-org-access', 'aws-iam-state'];

let sandboxes: Sandboxes;
let okta: OktaSandbox;
let company: Company;
let store: EvidenceStore;
let storeUrl: string;
let registry: Registry;
let settings: PeopleSettings;
let register: PeopleRegister;
const lastDay = { start: alignDown(NOW, DAY) - DAY, end: alignDown(NOW, DAY) };

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: SEED, now: NOW, days: 365 });
  okta = await startOktaSandbox({ seed: SEED, now: NOW, days: 365 });
  company = buildCompany({ seed: SEED, now: NOW, days: 365 });
  const env = { ...sandboxes.env, OKTA_API_TOKEN: 'okta-sandbox-token' };
  const config = parseConfig({ connectors: { ...sandboxes.connectors, okta: { orgUrl: okta.url } } }, env);
  registry = await buildRegistry(config, Catalogue.load());
  ({ store, url: storeUrl } = await freshStore('sqlite'));
  const clients = new Map<string, Promise<unknown>>();
  const runner = new CollectionRunner({
    store,
    logger: silentLogger,
    clock: () => NOW,
    limiter: new LocalLimiter(),
    clients: (stream) => {
      const section = registry.connectors.find((entry) => entry.connector.id === stream.connector.id)!;
      if (!clients.has(stream.connector.id))
        clients.set(stream.connector.id, Promise.resolve(stream.connector.createClient(section.config, env)));
      return clients.get(stream.connector.id)!;
    },
  });
  for (const id of STREAMS) {
    const outcome = await runner.collect({
      stream: registry.stream(id),
      window: lastDay,
      trigger: 'schedule',
      attempt: 1,
    });
    expect(outcome.status, id).toBe('succeeded');
  }

  // A company without SAML SSO on GitHub or email tags on IAM users maps those accounts in a file,
  // except Erin's GitHub account, which the file leaves out.
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-people-'));
  const rows = ['system,account,person'];
  for (const person of company.people) {
    if (person.firstName !== 'Erin') rows.push(`GitHub,${person.githubLogin},${person.email}`);
    if (person.iamUser)
      rows.push(`AWS IAM,${sandboxes.aws.groundTruth.accountId}/${person.iamUser},${person.email}`);
  }
  writeFileSync(path.join(dir, 'mappings.csv'), rows.join('\n'));
  const service = company.accounts.find((account) => account.kind === 'service')!;
  settings = {
    mappings: readMappingsFile('mappings.csv', dir),
    serviceAccounts: [
      {
        system: 'Okta',
        account: service.login,
        owner: company.byId(service.ownerEmployeeId!).email,
        reason: service.reason!,
      },
    ],
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
  register = await writePeopleFiles(facts, { ...company.period, label: '2026' }, settings, dir).then(
    (written) => {
      expect(written.files).toHaveLength(4);
      filesDir = dir;
      return written.register;
    },
  );
}, 120_000);
let filesDir = '';

afterAll(async () => {
  await okta?.stop();
  await sandboxes?.stop();
  await store?.close();
  if (storeUrl) await dropStore(storeUrl);
});

describe('people register on the seeded company', () => {
  it('has one person per HR record employed in the period, with start and end dates', () => {
    const inPeriod = company.people.filter((p) => p.endDate === null || p.endDate >= company.period.start);
    expect(register.people.map((p) => [p.employeeId, p.email, p.endDate]).sort()).toEqual(
      inPeriod
        .map((p) => [
          p.employeeId,
          p.email,
          p.endDate === null ? null : new Date(p.endDate).toISOString().slice(0, 10),
        ])
        .sort(),
    );
  });

  it('links every Okta account of a person by work email, GitHub and IAM accounts through the mapping file', () => {
    const linked = (system: string, account: string) =>
      register.accounts.find((entry) => entry.system === system && entry.accountId === account);
    for (const person of company.people) {
      const oktaAccount = linked('Okta', person.oktaLogin);
      if (oktaAccount)
        expect(oktaAccount, person.oktaLogin).toMatchObject({ person: person.email, linkedBy: 'work email' });
      const github = linked('GitHub', person.githubLogin);
      if (github && person.firstName !== 'Erin')
        expect(github, person.githubLogin).toMatchObject({ person: person.email, linkedBy: 'mapping file' });
      // Dave's IAM user is gone by the last day: he left.
      const iam = person.iamUser
        ? linked('AWS IAM', `${sandboxes.aws.groundTruth.accountId}/${person.iamUser}`)
        : undefined;
      if (iam) expect(iam).toMatchObject({ person: person.email, linkedBy: 'mapping file' });
    }
    expect(
      register.accounts.filter((a) => a.system === 'Okta' && a.linkedBy === 'work email').length,
    ).toBeGreaterThan(10);
    expect(
      register.accounts.filter((a) => a.system === 'AWS IAM' && a.linkedBy === 'mapping file'),
    ).toHaveLength(3);
    // IAM users the sandbox generated for no person are listed, not dropped.
    expect(
      register.accounts.filter((a) => a.system === 'AWS IAM' && a.person === null).length,
    ).toBeGreaterThan(0);
  });

  it('lists the planted account with no person, the service account and every account nothing links as such', () => {
    const unlinked = register.accounts
      .filter((a) => a.person === null)
      .map((a) => `${a.system}:${a.accountId}`);
    const orphan = company.accounts.find((account) => account.kind === 'unlinked')!;
    expect(unlinked).toContain(`Okta:${orphan.login}`);
    expect(unlinked).toContain('GitHub:erin');
    expect(unlinked).toContain('GitHub (outside collaborator):kim-contractor');
    const service = register.accounts.find((a) => a.linkedBy === 'service account')!;
    expect(service).toMatchObject({ system: 'Okta', person: company.byId('E1002').email });
    const workforce = readFileSync(path.join(filesDir, 'CC6.1_Workforce_2026.csv'), 'utf8');
    expect(workforce).toContain('unlinked account');
    expect(workforce).toContain('service account');
    expect(workforce).toContain(orphan.login);
  });

  it('writes every joiner and leaver of the period with the date the HR system states', () => {
    const expected = company.events
      .filter((event) => event.kind !== 'mover')
      .map(
        (event) =>
          `${event.kind} ${new Date(event.kind === 'joiner' ? company.byId(event.employeeId).startDate : event.at).toISOString().slice(0, 10)} ${company.byId(event.employeeId).email}`,
      );
    const written = register.events
      .filter((e) => e.event !== 'mover')
      .map((e) => `${e.event} ${e.date} ${e.person}`);
    expect(written.sort()).toEqual(expected.sort());
    const jml = readFileSync(path.join(filesDir, 'CC6.2_Joiners_Movers_Leavers_2026.csv'), 'utf8');
    expect(jml.trim().split('\n')).toHaveLength(1 + register.events.length);
  });
});

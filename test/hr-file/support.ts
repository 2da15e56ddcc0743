import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { hrFileConnector } from '../../connectors/hr-file/index.js';
import { hrFileConfigSchema, type HrFileConfig } from '../../connectors/hr-file/config.js';
import { presets, type PresetId } from '../../connectors/hr-file/presets.js';
import { CollectionRunner } from '../../src/collection/runner.js';
import { LocalLimiter } from '../../src/limiter.js';
import type { StreamInstance } from '../../src/registry.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY, parseDuration } from '../../src/time.js';

/** A person as a test writes them into an export. */
export interface TestEmployee {
  employeeId: string;
  email: string;
  firstName: string;
  lastName: string;
  startDate: string;
  endDate: string | null;
  status: string;
  department: string;
  manager: string;
  jobTitle: string;
}

export const staff: readonly TestEmployee[] = [
  {
    employeeId: '101',
    email: 'ada.lovelace@acme.test',
    firstName: 'Ada',
    lastName: 'Lovelace',
    startDate: '2024-01-15',
    endDate: null,
    status: 'Active',
    department: 'Engineering',
    manager: 'Grace Hopper',
    jobTitle: 'Engineer',
  },
  {
    employeeId: '102',
    email: 'grace.hopper@acme.test',
    firstName: 'Grace',
    lastName: 'Hopper',
    startDate: '2023-03-01',
    endDate: null,
    status: 'Active',
    department: 'Engineering',
    manager: '',
    jobTitle: 'CTO',
  },
  {
    employeeId: '103',
    email: 'alan.turing@acme.test',
    firstName: 'Alan',
    lastName: 'Turing',
    startDate: '2024-07-31',
    endDate: '2026-02-27',
    status: 'Terminated',
    department: 'Research',
    manager: 'Grace Hopper',
    jobTitle: 'Researcher',
  },
  {
    employeeId: '104',
    email: 'edsger.dijkstra@acme.test',
    firstName: 'Edsger',
    lastName: 'Dijkstra',
    startDate: '2025-12-01',
    endDate: null,
    status: 'Active',
    department: 'Platform',
    manager: 'Grace Hopper',
    jobTitle: 'SRE',
  },
];

function formatDate(iso: string | null, format: string): string {
  if (iso === null) return '';
  const [y, m, d] = iso.split('-');
  if (format === 'MM/DD/YYYY') return `${m}/${d}/${y}`;
  if (format === 'DD/MM/YYYY') return `${d}/${m}/${y}`;
  if (format === 'DD.MM.YYYY') return `${d}.${m}.${y}`;
  return iso;
}

/** Header row and data rows of the employees in a preset's layout (its first header per field, its dates). */
export function presetRows(id: PresetId, employees: readonly TestEmployee[]): string[][] {
  const preset = presets.find((entry) => entry.id === id)!;
  const c = preset.columns;
  const split = c.name === undefined;
  const headers = [
    c.employeeId[0]!,
    ...(split ? [c.firstName![0]!, c.lastName![0]!] : [c.name![0]!]),
    c.email[0]!,
    c.startDate[0]!,
    c.endDate[0]!,
    c.status[0]!,
    c.department[0]!,
    c.manager[0]!,
    c.jobTitle[0]!,
    'Location',
  ];
  const rows = employees.map((e) => [
    e.employeeId,
    ...(split ? [e.firstName, e.lastName] : [`${e.firstName} ${e.lastName}`]),
    e.email,
    formatDate(e.startDate, preset.dateFormat),
    formatDate(e.endDate, preset.dateFormat),
    e.status,
    e.department,
    e.manager,
    e.jobTitle,
    'Remote',
  ]);
  return [headers, ...rows];
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ew-hr-'));
}

export function writeCsv(file: string, rows: readonly (readonly string[])[]): string {
  writeFileSync(file, stringify(rows as string[][]));
  return file;
}

export async function writeXlsx(file: string, rows: readonly (readonly string[])[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Employees');
  for (const row of rows) sheet.addRow([...row]);
  await workbook.xlsx.writeFile(file);
  return file;
}

export function hrConfig(section: Record<string, unknown>): HrFileConfig {
  return hrFileConfigSchema.parse(section);
}

export function workforceInstance(config: HrFileConfig): StreamInstance {
  const definition = hrFileConnector.streams[0]!;
  return {
    id: definition.id,
    connector: hrFileConnector as never,
    connectorConfig: config,
    definition: definition as never,
    cadenceMs: DAY,
    silenceThresholdMs: parseDuration(definition.silenceThreshold),
    silenceThresholdConfigured: false,
    sourceLagMs: 0,
    retention: definition.retention(config),
    criteria: definition.criteria,
    isoControls: definition.isoControls,
  };
}

/** The real runner over a real store, with the connector's own client. */
export function hrRunner(store: EvidenceStore, config: HrFileConfig, now: () => number): CollectionRunner {
  const client = hrFileConnector.createClient(config, {});
  return new CollectionRunner({
    store,
    logger: pino({ level: 'silent' }),
    clock: now,
    limiter: new LocalLimiter(),
    clients: async () => client,
  });
}

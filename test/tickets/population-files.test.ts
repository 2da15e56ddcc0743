import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_COLUMN_HEADERS } from '../../checks/tickets/population-columns.js';
import { openApp, type App } from '../../src/app.js';
import { runBackfill } from '../../src/collection/backfill.js';
import { parseConfig } from '../../src/config/load.js';
import { labelFromTo } from '../../src/export/audit-period.js';
import { writeAuditorPackage, type AuditorPackage } from '../../src/export/package-writer.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/sandboxes.js';
import { ticketPlanOf, type PlannedTicket, type TicketPlan } from '../../src/sandbox/tickets/plan.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import { DAY } from '../../src/time.js';
import { tempDir } from '../export/fill-store.js';
import { freshStoreUrl } from '../support/stores.js';

const NOW = Date.UTC(2026, 3, 20, 9, 0, 0);
const DAYS = 20;
const STREAMS = ['github-production-changes', 'jira-change-tickets', 'linear-change-tickets'];
const iso = (at: number) => new Date(at).toISOString();

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

/**
 * The package's ticket side on a real SQLite store filled by the real GitHub, Jira and Linear connectors
 * against their sandboxes: the production-changes population names each change's ticket, and a ticket
 * updated again after the period (relabelled days after it was done) stays in that period's population.
 */
describe('change tickets in the auditor package', () => {
  let sandboxes: Sandboxes;
  let plan: TicketPlan;
  let app: App;
  let relabelled: PlannedTicket;
  let period: { start: number; end: number; label: string };
  let written: AuditorPackage;

  beforeAll(async () => {
    sandboxes = await startSandboxes({ seed: 11, now: NOW, days: DAYS });
    plan = ticketPlanOf({ seed: 11, now: NOW, days: DAYS });
    const start = Math.ceil(plan.historyStart / DAY) * DAY;
    // A Jira ticket done in the period and relabelled after it: its newest version lies past the period end.
    relabelled = plan.tickets.find(
      (ticket) =>
        ticket.project.system === 'jira' &&
        ticket.relabelledAt !== null &&
        ticket.case === 'linked' &&
        ticket.createdAt >= start &&
        Math.floor(ticket.doneAt / DAY) * DAY + DAY < ticket.relabelledAt &&
        ticket.relabelledAt < NOW - DAY,
    )!;
    expect(relabelled).toBeDefined();
    period = { start, end: Math.floor(relabelled.doneAt / DAY) * DAY + DAY, label: '' };
    period.label = labelFromTo(period);
    const connectors = sandboxes.connectors as Record<string, unknown>;
    const raw = {
      store: { url: freshStoreUrl('sqlite') },
      connectors: { github: connectors.github, jira: connectors.jira, linear: connectors.linear },
      logLevel: 'silent',
    };
    app = await openApp({
      config: {
        config: parseConfig(raw, sandboxes.env),
        baseDir: tempDir('ticket-package'),
        file: undefined,
        source: JSON.stringify(raw),
      },
      env: sandboxes.env,
      logger: pino({ level: 'silent' }),
      clock: () => NOW + DAY,
    });
    const streams = app.registry.streams.filter((stream) => STREAMS.includes(stream.id));
    // Live collection of the day it was done (Jira shows it as it stood then): version 1, in the period.
    const doneDay = Math.floor(relabelled.doneAt / DAY) * DAY;
    sandboxes.jira.setNow(doneDay + DAY + 600_000);
    const jira = streams.filter((stream) => stream.id === 'jira-change-tickets');
    await runBackfill(app, { period: { start: doneDay, end: doneDay + DAY }, streams: jira, inline: true });
    sandboxes.jira.setNow(NOW);
    // The rest up to the sandbox's present: the relabel is stored as version 2, beyond the period.
    await runBackfill(app, {
      period: { start, end: Math.floor(NOW / DAY) * DAY },
      streams,
      inline: true,
    });
    written = await writeAuditorPackage(app, { period, out: path.join(tempDir('ticket-package'), 'pkg') });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await sandboxes?.stop();
  });

  it('keeps a ticket updated after the period in that period, at its version as of the period end', async () => {
    const store = await app.store();
    const versions = await store.db
      .selectFrom('evidence_items')
      .select(['version', 'occurred_at'])
      .where('stream', '=', 'jira-change-tickets')
      .where('item_key', '=', relabelled.key)
      .orderBy('version')
      .execute();
    expect(versions.map((row) => row.version)).toEqual([1, 2]);
    expect(Number(versions[1]!.occurred_at)).toBeGreaterThanOrEqual(period.end);

    const tickets = written.populations.find((population) => population.stream === 'jira-change-tickets')!;
    const rows = readCsv(path.join(written.out, tickets.csv));
    const row = rows.find((entry) => entry['Item key'] === relabelled.key);
    expect(row?.Version).toBe('1');
    expect(row?.Status).toBe('Done');
    // The relabel came later: the period's row shows the labels as they were by its end.
    expect(row?.Labels).not.toContain('audited');
    const evidence = new EvidenceRepository(store);
    for (const stream of ['jira-change-tickets', 'linear-change-tickets']) {
      const population = written.populations.find((entry) => entry.stream === stream)!;
      expect(population.items, stream).toBe(await evidence.countPopulation(stream, period.start, period.end));
      expect(readCsv(path.join(written.out, population.csv)).length, stream).toBe(population.items);
    }
  });

  it('gives every production change its ticket, the ticket status at merge and when it was approved', async () => {
    const changes = written.populations.find((entry) => entry.stream === 'github-production-changes')!;
    const rows = readCsv(path.join(written.out, changes.csv));
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining([...TICKET_COLUMN_HEADERS]));
    const planned = new Map(plan.changes.map((change) => [change.key, change]));
    const tickets = new Map(plan.tickets.map((ticket) => [ticket.key, ticket]));
    let linked = 0;
    let relabelledChange = false;
    for (const row of rows) {
      const change = planned.get(row['Item key'] ?? '');
      if (!change) continue;
      expect(row.Ticket, change.key).toBe(change.ticketKey ?? '');
      if (change.ticketKey === null) {
        expect(row['Approved at'], change.key).toBe('');
        continue;
      }
      linked += 1;
      const ticket = tickets.get(change.ticketKey)!;
      if (ticket.key === relabelled.key) relabelledChange = true;
      expect(row['Approved at'], change.key).toBe(iso(ticket.approvedAt));
      const approvedStatus = ticket.project.type === 'service_desk' ? 'Implementing' : 'Approved';
      expect(row['Ticket status at merge'], change.key).toBe(
        change.case === 'approved_after_merge' ? ticket.transitions[0]!.to : approvedStatus,
      );
    }
    expect(linked).toBeGreaterThan(5);
    expect(relabelledChange).toBe(true);
  });

  it('writes the approval time as a date cell in the workbook', async () => {
    const changes = written.populations.find((entry) => entry.stream === 'github-production-changes')!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(written.out, changes.xlsx));
    const sheet = workbook.getWorksheet('Population')!;
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    const column = headers.indexOf('Approved at');
    expect(column).toBeGreaterThan(0);
    const dates = [];
    for (let row = 2; row <= sheet.rowCount; row += 1) {
      const value = sheet.getRow(row).getCell(column).value;
      if (value !== null && value !== undefined) dates.push(value);
    }
    expect(dates.length).toBeGreaterThan(5);
    for (const value of dates) expect(value).toBeInstanceOf(Date);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { buildCompany } from '../../src/sandbox/company/index.js';
import { writeHrSandbox } from '../../src/sandbox/hr/index.js';
import { EvidenceRepository } from '../../src/store/evidence-repository.js';
import type { EvidenceStore } from '../../src/store/open-store.js';
import { DAY } from '../../src/time.js';
import { dropStore, freshStore } from '../support/stores.js';
import { hrConfig, hrRunner, workforceInstance } from './support.js';

const NOW = Date.UTC(2026, 10, 20, 12, 30);
let opened: { store: EvidenceStore; url: string } | undefined;
afterAll(async () => {
  if (opened) {
    await opened.store.close();
    await dropStore(opened.url);
  }
});

const dayText = (at: number) => new Date(at).toISOString().slice(0, 10);

describe('hr-workforce against the seeded company', () => {
  it("a year of daily exports gives exactly the company's planted joiners, leavers and department and manager moves", async () => {
    const company = buildCompany({ seed: 7, now: NOW, days: 365 });
    const hr = writeHrSandbox(company);
    opened = await freshStore('sqlite');
    const config = hrConfig({ directory: hr.directory });
    const stream = workforceInstance(config);
    const runner = hrRunner(opened.store, config, () => NOW);
    const { start, end } = company.period;
    for (let day = start; day < end; day += DAY) {
      const outcome = await runner.collect({
        stream,
        window: { start: day, end: day + DAY },
        trigger: 'backfill',
        attempt: 1,
      });
      expect(outcome.status).toBe('succeeded');
    }
    const seen: string[] = [];
    for await (const row of new EvidenceRepository(opened.store).population('hr-workforce', start, end)) {
      const p = JSON.parse(row.payload) as Record<string, string | null>;
      if (p.kind !== 'change' || p.change === 'status-changed') continue;
      seen.push(`${p.day} ${p.change} ${p.employeeId} ${p.field ?? ''} ${p.effectiveDate}`);
    }
    const planted = company.events
      // The first day has no baseline to diff against; admin flags are the IdP's, not the HR system's.
      .filter((event) => event.at >= start + DAY && !(event.kind === 'mover' && event.field === 'admin'))
      .map((event) => {
        const day = dayText(event.at);
        if (event.kind === 'joiner')
          return `${day} hire ${event.employeeId}  ${dayText(company.byId(event.employeeId).startDate)}`;
        if (event.kind === 'leaver') return `${day} termination ${event.employeeId} endDate ${day}`;
        return `${day} move ${event.employeeId} ${event.field} ${day}`;
      });
    expect(seen.sort()).toEqual(planted.sort());
    expect(planted.length).toBeGreaterThan(8);
  });
});

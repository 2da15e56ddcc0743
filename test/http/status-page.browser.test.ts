import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSql } from '../support/stores.js';
import {
  FAKE_ACCESS,
  FAKE_CHANGES,
  collectHours,
  startSurface,
  surfaceApp,
  type Surface,
} from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
const SCREENSHOT = path.resolve('test-output/status-page.png');
if (!present) {
  console.warn(`status page browser test skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);
}

/** The few browser globals the page checks use (the project compiles without the DOM library). */
interface BrowserWindow {
  getComputedStyle(node: unknown): { backgroundColor: string };
  document: { documentElement: { scrollWidth: number } };
  innerWidth: number;
}

const NOW = Date.UTC(2026, 0, 10, 12);
const START = Date.UTC(2026, 0, 8);
const FAILED_AT = Date.UTC(2026, 0, 9, 10);
const SKIPPED_FROM = Date.UTC(2026, 0, 9, 2);
const SKIPPED_TO = Date.UTC(2026, 0, 9, 6);
const SILENT_HOURS = 20;

describe.skipIf(!present)(`status page in headless Chromium (${CHROMIUM})`, () => {
  let surface: Surface;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // fake-changes: silent for the first 20 hours (runs succeed, nothing yielded; threshold 12h), then a
    // 4-hour hole nobody collected, then one hour that failed on a revoked token.
    const silent = Array.from(
      { length: SILENT_HOURS },
      (_, hour) => `${FAKE_CHANGES}@${START + hour * 3_600_000}`,
    );
    const app = await surfaceApp({
      now: NOW,
      auditStart: '2026-01-08',
      failAt: [`${FAKE_CHANGES}@${FAILED_AT}`],
      emptyAt: silent,
      streams: { [FAKE_CHANGES]: { silenceThreshold: '12h' }, [FAKE_ACCESS]: { silenceThreshold: '12h' } },
    });
    await collectHours(app, FAKE_ACCESS, START, NOW);
    await collectHours(app, FAKE_CHANGES, START, NOW, (start) => start >= SKIPPED_FROM && start < SKIPPED_TO);
    await rawSql(
      await app.store(),
      `insert into alerts (id, stream, kind, status, message, detail, opened_at, last_notified_at, reminders, closed_at)
       values ('a1', '${FAKE_CHANGES}', 'failing', 'open', 'fake-changes is failing: AUTH_INVALID', '{}', ${FAILED_AT + 3_600_000}, ${FAILED_AT + 3_600_000}, 0, null)`,
    );
    surface = await startSurface(app);
    base = await surface.server.listen();
    // Playwright gives every launch a fresh temporary profile (the --user-data-dir the brief asks for).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await surface?.close();
  });

  it('shows the planted gaps on the right stream, with their cause, without JavaScript', async () => {
    // A laptop screen, scripts off: the page must carry everything in its HTML and CSS.
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const response = await page.goto(`${base}/status`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('evidence-worker status');

    const changes = page.locator(`#stream-${FAKE_CHANGES}`);
    const access = page.locator(`#stream-${FAKE_ACCESS}`);
    const failedRow = changes.locator('tr.ew-tl-issue[data-kind="failed"]');
    await expect(failedRow.count()).resolves.toBe(1);
    expect(await failedRow.innerText()).toMatch(
      /failed\s+2026-01-09 10:00 UTC to 2026-01-09 11:00 UTC\s+1h\s+attempted and failed AUTH_INVALID\s+recoverable/,
    );
    const gapRow = changes.locator('tr.ew-tl-issue[data-kind="gap"]');
    await expect(gapRow.count()).resolves.toBe(1);
    expect(await gapRow.innerText()).toMatch(
      /gap\s+2026-01-09 02:00 UTC to 2026-01-09 06:00 UTC\s+4h\s+never attempted/,
    );
    expect(await changes.locator('.ew-stream-alerts').innerText()).toMatch(
      /failing\s+2026-01-09 11:00 UTC\s+fake-changes is failing: AUTH_INVALID/,
    );
    expect(await access.locator('.ew-stream-alerts').innerText()).toBe('none');
    const silentRow = changes.locator('tr.ew-tl-issue[data-kind="silent"]');
    await expect(silentRow.count()).resolves.toBe(1);
    expect(await silentRow.innerText()).toMatch(
      /silent\s+2026-01-08 00:00 UTC to .*no items for longer than 12h/,
    );
    const silentSeg = changes.locator('.ew-tl-seg[data-kind="silent"]');
    expect(
      (await silentSeg.boundingBox())!.width / (await changes.locator('.ew-tl-bar').boundingBox())!.width,
    ).toBeGreaterThan(0.2);
    // The other stream is whole: no issue rows, and its text says so.
    await expect(access.locator('tr.ew-tl-issue').count()).resolves.toBe(0);
    expect(await access.innerText()).toContain('No gaps and no silent periods');

    // On the bar: the failed hour and the 4-hour hole are drawn where they happened, in their own colours.
    const bar = await changes.locator('.ew-tl-bar').boundingBox();
    const failedSeg = changes.locator('.ew-tl-seg[data-kind="failed"]');
    const gapSeg = changes.locator('.ew-tl-seg[data-kind="gap"]');
    const failedBox = await failedSeg.boundingBox();
    const gapBox = await gapSeg.boundingBox();
    expect(bar && failedBox && gapBox).toBeTruthy();
    const span = NOW - START;
    expect((failedBox!.x - bar!.x) / bar!.width).toBeCloseTo((FAILED_AT - START) / span, 2);
    expect(gapBox!.width / bar!.width).toBeCloseTo((SKIPPED_TO - SKIPPED_FROM) / span, 2);
    expect(gapBox!.width).toBeGreaterThan(failedBox!.width * 3);
    expect(await failedSeg.getAttribute('title')).toContain('attempted and failed (AUTH_INVALID)');
    expect(await gapSeg.getAttribute('title')).toContain('never attempted');
    const colour = async (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((node) => (globalThis as unknown as BrowserWindow).getComputedStyle(node).backgroundColor);
    const colours = await Promise.all(
      ['covered', 'gap', 'failed', 'silent', 'pending'].map((kind) =>
        colour(`.ew-tl-legend .ew-tl-swatch.ew-tl-${kind}`),
      ),
    );
    expect(new Set(colours).size).toBe(5);
    const kinds = ['covered', 'gap', 'failed', 'silent'];
    for (const [index, kind] of kinds.entries())
      expect(await colour(`#stream-${FAKE_CHANGES} .ew-tl-seg[data-kind="${kind}"]`), kind).toBe(
        colours[index],
      );

    // The CC8.1 summary names the gaps; nothing overflows a laptop-wide window.
    expect(await page.locator('tr[data-criterion="CC8.1"]').innerText()).toMatch(/fake-changes.*gaps/s);
    const widths = await page.locator('body').evaluate(() => {
      const browserWindow = globalThis as unknown as BrowserWindow;
      return [browserWindow.document.documentElement.scrollWidth, browserWindow.innerWidth];
    });
    expect(widths[0]).toBeLessThanOrEqual(widths[1]!);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // The first screen as an operator sees it, and the stream with the planted gaps up close.
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-viewport.png') });
    await changes.screenshot({ path: SCREENSHOT.replace('.png', '-gap-stream.png') });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await context.close();
  }, 60_000);
});

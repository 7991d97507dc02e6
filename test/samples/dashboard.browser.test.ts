// The dashboard page in Debian's Chromium (playwright-core, never a downloaded browser):
// ticking a metric subscribes to its room, and the pushed samples fill the chart.
// Skipped with a warning without /usr/bin/chromium, except under CI=true where it fails.
import type { BrowserContext } from 'playwright-core';
import { describeWithChromium, launchChromium, type Browser } from '../support/chromium';
import { startDashboard, type RunningDashboard } from '../../samples/dashboard/server';


const TIMEOUT = { timeout: 10000 };

describeWithChromium('samples/dashboard page in Chromium', () => {
  jest.setTimeout(60000);
  let dashboard: RunningDashboard;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0, host: '127.0.0.1', intervalMs: 50 });
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  it('lists the metrics, and charts the one ticked from the pushed samples', async () => {
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (err) => errors.push(err));
    try {
      await page.goto(`http://127.0.0.1:${dashboard.port}/`);
      await page.locator('#status', { hasText: 'connected' }).waitFor(TIMEOUT);
      await page.locator('.card').nth(2).waitFor(TIMEOUT);
      expect(await page.locator('.card .label').allTextContents()).toEqual([
        'Server CPU',
        'Heap used',
        'Dashboards open',
      ]);

      const clients = page.locator('.card', { hasText: 'Dashboards open' });
      await clients.locator('input').check();
      await clients.locator('.value', { hasText: /^1\s*$/ }).waitFor(TIMEOUT);
      // The chart grows as samples arrive: two points at least make a line.
      await page.waitForFunction(
        () =>
          (
            document
              .querySelectorAll('.card')[2]
              .querySelector('polyline')
              ?.getAttribute('points') ?? ''
          ).split(' ').length >= 2,
        undefined,
        TIMEOUT,
      );
      expect(await page.locator('.card.off').count()).toBe(2); // the two others stay unsubscribed

      await clients.locator('input').uncheck();
      await page.locator('.card.off').nth(2).waitFor(TIMEOUT);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

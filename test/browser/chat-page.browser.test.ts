// The chat page (samples/chat/public), as served by `npm start` (samples/chat-gateway), in
// Debian's Chromium: what a newcomer trips over on a first visit. The room field's pattern
// compiles (browsers use the `v` flag) and blocks a bad name before anything is sent; a
// name the server refuses shows the server's reason, not only "Validation failed"; a long
// word wraps in its bubble instead of pushing the sidebar and the Send button away; and the
// page loads without one console error or failed request (no /favicon.ico 404).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithChromium, launchChromium, type Browser } from '../support/chromium';
import { startChatGateway, type RunningChat } from '../../samples/chat-gateway/server';

const TIMEOUT = { timeout: 10_000 };
const ROOM_RULE = 'room must be 1 to 32 lower-case letters, digits or dashes';

describeWithChromium('the chat page in Chromium (first visit)', () => {
  jest.setTimeout(60_000);
  let chat: RunningChat;
  let browser: Browser;
  let shots: string;
  /** Console errors and warnings, uncaught page errors and failed requests, of every page. */
  const problems: string[] = [];

  beforeAll(async () => {
    chat = await startChatGateway({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    shots = mkdtempSync(join(tmpdir(), 'wiregate-chat-page-'));
  });

  afterAll(async () => {
    await browser?.close();
    await chat?.close();
    if (shots !== undefined) rmSync(shots, { recursive: true, force: true });
  });

  const closing = new WeakSet<Page>();

  async function close(page: Page): Promise<void> {
    closing.add(page);
    await page.close();
  }

  async function open(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 900, height: 600 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // A long-poll cut short by closing the page is no failure of the page.
    page.on('requestfailed', (r) => {
      if (!closing.has(page))
        problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`http://127.0.0.1:${chat.port}/`);
    // The client bundle is loaded and the page script ran.
    await page.waitForFunction(
      () => typeof (window as unknown as { chat?: object }).chat === 'object',
      undefined,
      TIMEOUT,
    );
    return page;
  }

  it('has a room pattern that compiles with the v flag and stops a bad room name before sending', async () => {
    const page = await open();
    try {
      const pattern = await page.getAttribute('#room', 'pattern');
      expect(pattern).not.toBeNull();
      // Exactly what the browser does with a pattern attribute.
      const compiles = await page.evaluate((p) => {
        try {
          new RegExp(`^(?:${p})$`, 'v');
          return true;
        } catch {
          return false;
        }
      }, pattern as string);
      expect(compiles).toBe(true);

      await page.fill('#name', 'ann');
      await page.fill('#room', 'Bad Room!');
      await page.click('#join');
      expect(
        await page.$eval('#room', (el) => (el as HTMLInputElement).validity.patternMismatch),
      ).toBe(true);
      expect(
        await page.evaluate(() => (window as unknown as { chat: { socket: unknown } }).chat.socket),
      ).toBeNull();
      expect(await page.isVisible('#login')).toBe(true);
    } finally {
      await close(page);
    }
  });

  it("shows the server's reason when it refuses a room name", async () => {
    const page = await open();
    try {
      // Whatever the page checks, the server decides: bypass the page's own check.
      await page.$eval('#room', (el) => el.removeAttribute('pattern'));
      await page.fill('#name', 'ann');
      await page.fill('#room', 'Bad Room!');
      await page.click('#join');
      await page.locator('#login-error', { hasText: ROOM_RULE }).waitFor(TIMEOUT);
      expect(await page.textContent('#login-error')).toBe(ROOM_RULE);
    } finally {
      await close(page);
    }
  });

  it('wraps a long word inside its bubble, keeping the sidebar and the Send button on screen', async () => {
    const page = await open();
    try {
      await page.fill('#name', 'ann');
      await page.fill('#room', 'long-words');
      await page.click('#join');
      await page.waitForSelector('body[data-joined="long-words"]', TIMEOUT);
      const asideBefore = await page.locator('aside').boundingBox();
      const word = 'x'.repeat(400);
      await page.fill('#text', word);
      await page.press('#text', 'Enter');
      const bubble = page.locator('#messages li.mine', { hasText: word });
      await bubble.waitFor(TIMEOUT);

      const shot = join(shots, 'long-word.png');
      await page.screenshot({ path: shot });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      const keep = process.env.WIREGATE_KEEP_SCREENSHOTS;
      if (keep !== undefined) {
        // For a person to look at the layout: WIREGATE_KEEP_SCREENSHOTS=<dir> keeps a copy.
        mkdirSync(keep, { recursive: true });
        copyFileSync(shot, join(keep, 'chat-long-word.png'));
      }

      const layout = await page.evaluate(() => {
        const box = (sel: string): DOMRect =>
          (document.querySelector(sel) as Element).getBoundingClientRect();
        const li = [...document.querySelectorAll('#messages li.mine')].pop() as HTMLElement;
        return {
          viewport: window.innerWidth,
          pageWidth: document.documentElement.scrollWidth,
          bubbleOverflow: li.scrollWidth - li.clientWidth,
          bubbleRight: li.getBoundingClientRect().right,
          messagesRight: box('#messages').right,
          sendRight: box('#send').right,
        };
      });
      expect(layout.bubbleOverflow).toBeLessThanOrEqual(0);
      expect(layout.bubbleRight).toBeLessThanOrEqual(layout.messagesRight);
      expect(layout.sendRight).toBeLessThanOrEqual(layout.viewport);
      expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport);
      expect(await page.locator('aside').boundingBox()).toEqual(asideBefore);
    } finally {
      await close(page);
    }
  });

  it('logged no console error or warning and had no failed request (favicon included)', async () => {
    const page = await open();
    try {
      const icon = page.locator('link[rel="icon"]');
      expect(await icon.count()).toBe(1);
      expect(await icon.getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    } finally {
      await close(page);
    }
    expect(problems).toEqual([]);
  });
});

// The chat page of samples/chat, served by samples/chat-gateway, in Debian's Chromium
// (playwright-core, never a downloaded browser): the gateway app speaks the page's protocol.
// Skipped with a warning without /usr/bin/chromium, except under CI=true where it fails.
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithChromium, launchChromium, type Browser } from '../support/chromium';
import { startChatGateway, type RunningChat } from '../../samples/chat-gateway/server';


const TIMEOUT = { timeout: 10000 };
// 1x1 transparent PNG
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcff9fa10f0005fe02fe0dc7d1d30000000049454e44ae426082',
  'hex',
);

type Received = {
  chat: { received: { system: string[]; images: { from: string; bytes: number[] }[] } };
};

describeWithChromium(
  'samples/chat-gateway with the chat page in Chromium',
  () => {
    jest.setTimeout(60000);
    let chat: RunningChat;
    let browser: Browser;
    let context: BrowserContext;

    beforeAll(async () => {
      chat = await startChatGateway({ port: 0, host: '127.0.0.1' });
      browser = await launchChromium();
      context = browser.context;
    });

    afterAll(async () => {
      await browser?.close();
      await chat?.close();
    });

    async function joinAs(name: string, room: string, query: string): Promise<Page> {
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[${name}]`, err));
      await page.goto(`http://127.0.0.1:${chat.port}/${query}`);
      await page.fill('#name', name);
      await page.fill('#room', room);
      await page.click('#join');
      await page.waitForSelector(`body[data-joined="${room}"]`, TIMEOUT);
      return page;
    }

    it.each([
      ['default transports', ''],
      ['polling only', '?transport=polling'],
    ])('%s: join, message, image, typing', async (_label, query) => {
      const room = query === '' ? 'upgraded' : 'polling';
      const ann = await joinAs('ann', room, query);
      const bob = await joinAs('bob', room, query);
      try {
        await ann.waitForFunction(
          () => (window as unknown as Received).chat.received.system.includes('bob joined'),
          undefined,
          TIMEOUT,
        );

        await ann.fill('#text', 'hello bob');
        await ann.press('#text', 'Enter');
        await bob.locator('#messages li', { hasText: 'hello bob' }).waitFor(TIMEOUT);

        await ann.setInputFiles('#image', { name: 'dot.png', mimeType: 'image/png', buffer: PNG });
        const handle = await bob.waitForFunction(
          () => (window as unknown as Received).chat.received.images[0] ?? null,
          undefined,
          TIMEOUT,
        );
        const image = (await handle.jsonValue()) as { from: string; bytes: number[] };
        expect(image.from).toBe('ann');
        expect(Buffer.from(image.bytes).equals(PNG)).toBe(true);

        await ann.fill('#text', 'typing…');
        await bob.locator('#typing', { hasText: 'ann is typing' }).waitFor(TIMEOUT);
      } finally {
        await ann.close();
        await bob.close();
      }
    });
  },
);

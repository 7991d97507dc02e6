// The chat sample in a real browser: Debian's Chromium driven by playwright-core loads the
// page served by the sample, which uses the official browser client served by our engine
// (serveClient). Two users join a room, get each other's broadcasts and a binary image:
// once with default transports (polling, then the upgrade to WebSocket), once forced to
// polling. Never downloads a browser: CI installs chromium (.ci/run).
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithChromium, launchChromium, type Browser } from '../support/chromium';
import type { Server } from '../../src/server';

// Plain JavaScript sample; under jest its require('wiregate') resolves to src/ (moduleNameMapper).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createChatServer } = require('../../samples/chat/app') as {
  createChatServer(opts?: object): { httpServer: HttpServer; io: Server };
};


// A 1x1 PNG: the bytes must arrive unchanged, whatever the transport.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e4a3d3' +
    '5f0000000049454e44ae426082',
  'hex',
);

interface PageChat {
  chat: {
    transport(): string | null;
    received: {
      messages: { from: string; text: string }[];
      images: { from: string; type: string; bytes: number[] }[];
      system: string[];
      typing: { name: string; typing: boolean }[];
    };
  };
}

describeWithChromium('chat sample in Chromium', () => {
  jest.setTimeout(30000);
  let browser: Browser;
  let context: BrowserContext;
  let httpServer: HttpServer;
  let io: Server;
  let url: string;

  beforeAll(async () => {
    ({ httpServer, io } = createChatServer({ pingInterval: 2000, pingTimeout: 2000 }));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/`;
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await io?.close();
  });

  async function openAs(name: string, room: string, query: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[${name}] page error:`, err));
    await page.goto(url + query);
    await page.fill('#name', name);
    await page.fill('#room', room);
    await page.click('#join');
    await page.waitForSelector(`body[data-joined="${room}"]`, { timeout: 10000 });
    return page;
  }

  it.each([
    ['default transports (polling, then WebSocket)', '', 'websocket'],
    ['transports forced to polling', '?transport=polling', 'polling'],
  ])('%s: connect, join a room, get broadcasts, send binary', async (_label, query, finalTransport) => {
    const room = `room-${finalTransport}`;
    const alice = await openAs('alice', room, query);
    const bob = await openAs('bob', room, query);
    try {
      // Bob's join was broadcast to the room.
      await alice.waitForFunction(() => (window as unknown as PageChat).chat.received.system.includes('bob joined'), undefined, { timeout: 10000 });

      // A message typed in Alice's page reaches Bob through the room broadcast, and shows.
      await alice.fill('#text', 'hello from alice');
      await alice.press('#text', 'Enter');
      await bob.locator('#messages li', { hasText: 'hello from alice' }).waitFor({ timeout: 10000 });
      await alice.locator('#messages li.mine', { hasText: 'hello from alice' }).waitFor({ timeout: 10000 });

      // A server-side broadcast to the room reaches both pages.
      io.to(room).emit('message', { id: 0, room, from: 'server', text: 'announcement', at: Date.now() });
      for (const page of [alice, bob]) {
        await page.locator('#messages li', { hasText: 'announcement' }).waitFor({ timeout: 10000 });
      }

      // Binary: Alice picks an image; Bob receives the exact bytes as an attachment.
      await alice.setInputFiles('#image', { name: 'dot.png', mimeType: 'image/png', buffer: PNG });
      const handle = await bob.waitForFunction(
        () => (window as unknown as PageChat).chat.received.images[0] ?? null,
        undefined,
        { timeout: 10000 },
      );
      const image = (await handle.jsonValue()) as { from: string; type: string; bytes: number[] };
      expect(image.from).toBe('alice');
      expect(image.type).toBe('image/png');
      expect(Buffer.from(image.bytes).equals(PNG)).toBe(true);
      await bob.locator(`#messages img[alt="image from alice (${PNG.length} bytes)"]`).waitFor({ timeout: 10000 });

      // The transport in use, seen from the page and from the server.
      await alice.waitForFunction((t) => (window as unknown as PageChat).chat.transport() === t, finalTransport, { timeout: 10000 });
      const sockets = await io.in(room).fetchSockets();
      expect(sockets).toHaveLength(2);
      for (const s of sockets) {
        const conn = (s as unknown as { conn: { transport: { name: string }; upgraded: boolean } }).conn;
        if (finalTransport === 'polling') expect(conn.transport.name).toBe('polling');
        else expect(['polling', 'websocket']).toContain(conn.transport.name);
      }
      if (finalTransport === 'websocket') {
        await bob.waitForFunction(() => (window as unknown as PageChat).chat.transport() === 'websocket', undefined, { timeout: 10000 });
        for (const s of await io.in(room).fetchSockets()) {
          expect((s as unknown as { conn: { transport: { name: string } } }).conn.transport.name).toBe('websocket');
        }
      }

      // The typing indicator (a volatile broadcast) shows in Bob's page.
      await alice.fill('#text', 'typing…');
      await bob.locator('#typing', { hasText: 'alice is typing' }).waitFor({ timeout: 10000 });
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});

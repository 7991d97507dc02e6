// Black-box checks in the shape of the official Engine.IO v4 protocol suite, against a
// bare EngineServer on /engine.io that echoes every message (docs/internals/wire-protocol.md, "Conformance suites").
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type WebSocket from 'ws';
import { openFrameReader, type FrameReader } from './frame-reader';
import { EngineServer, type EngineSession } from '../../src/engine';

let httpServer: HttpServer;
let engine: EngineServer;
let url: string;
let wsUrl: string;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  httpServer = createServer();
  engine = new EngineServer({ pingInterval: 300, pingTimeout: 200, maxHttpBufferSize: 1e6 });
  engine.attach(httpServer);
  engine.on('connection', (session: EngineSession) => {
    session.on('message', (data: string | Buffer) => session.send(data));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/engine.io/`;
  wsUrl = `ws://127.0.0.1:${port}/engine.io/`;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  engine.close();
  await new Promise((resolve) => httpServer.close(resolve));
});

function openWs(query: string): FrameReader {
  return openFrameReader(wsUrl + query, sockets);
}

async function initPolling(): Promise<string> {
  const res = await fetch(`${url}?EIO=4&transport=polling`);
  return JSON.parse((await res.text()).slice(1)).sid as string;
}

/** Checks a condition on each turn of the event loop, failing after a bounded deadline. */
async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const poll = (sid: string, init?: RequestInit) => fetch(`${url}?EIO=4&transport=polling&sid=${sid}`, init);

describe('messages over polling', () => {
  it.each([['4hello'], ['4test1\x1e4test2\x1e4test3'], ['4hello\x1ebAQIDBA==']])('echoes the payload %j', async (body) => {
    const sid = await initPolling();
    const push = await poll(sid, { method: 'POST', body });
    expect(push.status).toBe(200);
    expect(await push.text()).toBe('ok');
    const res = await poll(sid);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body);
  });

  it('closes the session on an invalid packet format', async () => {
    const sid = await initPolling();
    const push = await poll(sid, { method: 'POST', body: 'abc' }).catch(() => null);
    if (push) expect(push.status).toBe(400);
    expect((await poll(sid)).status).toBe(400);
  });

  it('closes the session on overlapping polls', async () => {
    const sid = await initPolling();
    const first = poll(sid);
    // The first GET must be held by the server before the second arrives.
    await waitUntil(() => engine.clients.get(sid)?.transport.hasPendingReceive === true);
    const second = await poll(sid);
    const firstRes = await first;
    expect(firstRes.status).toBe(200);
    expect(await firstRes.text()).toBe('1');
    expect([400, 500]).toContain(second.status);
    expect((await poll(sid)).status).toBe(400);
  });
});

describe('messages over WebSocket', () => {
  it('echoes text and binary; closes on an invalid packet', async () => {
    const conn = openWs('?EIO=4&transport=websocket');
    await conn.next();
    conn.ws.send('4hello');
    expect(await conn.next()).toBe('4hello');
    conn.ws.send(Uint8Array.from([1, 2, 3, 4]));
    expect([...(await conn.next() as Buffer)]).toEqual([1, 2, 3, 4]);
    conn.ws.send('abc');
    await conn.closed;
  });
});

describe('heartbeat', () => {
  it('polling: the held GET returns a ping, a posted pong keeps the session', async () => {
    const sid = await initPolling();
    for (let i = 0; i < 3; i++) {
      const res = await poll(sid);
      expect(await res.text()).toBe('2');
      expect((await poll(sid, { method: 'POST', body: '3' })).status).toBe(200);
    }
  });

  it('polling: a silent session is closed after pingInterval + pingTimeout', async () => {
    const sid = await initPolling();
    const reason = await new Promise((resolve) => engine.clients.get(sid)!.once('close', resolve));
    expect(reason).toBe('ping timeout');
    expect((await poll(sid, { method: 'POST', body: '3' })).status).toBe(400);
  });

  it('websocket: a silent session is closed', async () => {
    const conn = openWs('?EIO=4&transport=websocket');
    await conn.closed;
  });
});

describe('close', () => {
  it('polling: a posted close answers the held GET with a noop', async () => {
    const sid = await initPolling();
    const [held] = await Promise.all([poll(sid), poll(sid, { method: 'POST', body: '1' })]);
    expect(await held.text()).toBe('6');
    expect((await poll(sid)).status).toBe(400);
  });
});

describe('upgrade', () => {
  it('probe, noop on the GET, upgrade, then messages flow on the WebSocket', async () => {
    const sid = await initPolling();
    const conn = openWs(`?EIO=4&transport=websocket&sid=${sid}`);
    await new Promise((resolve) => conn.ws.once('open', resolve));
    conn.ws.send('2probe');
    expect(await conn.next()).toBe('3probe');
    const held = await poll(sid);
    expect(await held.text()).toBe('6');
    conn.ws.send('5');
    conn.ws.send('4hello');
    expect(await conn.next()).toBe('4hello');
    expect((await poll(sid)).status).toBe(400);
    const second = openWs(`?EIO=4&transport=websocket&sid=${sid}`);
    await second.closed;
    conn.ws.send('4still');
    expect(await conn.next()).toBe('4still');
  });
});

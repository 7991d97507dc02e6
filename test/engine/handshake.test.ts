// docs/internals/wire-protocol.md, "Endpoint and query" and "Opening a session": routing, the open packet, and every refusal of "Request checks and refusals",
// asserted on the exact wire (status, Content-Type, body).
import type { IncomingMessage } from 'node:http';
import { checkRequest, parseQuery } from '../../src/engine/handshake';
import {
  closeEngines,
  eio,
  openPolling,
  poll,
  rawExchange,
  request,
  startEngine,
  upgradeRequest,
  within,
  WsClient,
  wsUrl,
  type EngineHarness,
} from './helpers';

afterEach(closeEngines);

const JSON_TYPE = 'application/json';

async function expectRefusal(h: EngineHarness, method: string, path: string, code: number, message: string, status = 400): Promise<void> {
  const res = await request(h.port, method, path);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(JSON_TYPE);
  expect(res.text).toBe(JSON.stringify({ code, message }));
}

describe('opening a session', () => {
  it('answers the polling handshake with the open packet, keys in order', async () => {
    const h = await startEngine({ pingInterval: 300, pingTimeout: 200 });
    const { response, handshake, sid } = await openPolling(h);
    expect(response.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(sid).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(response.text).toBe(`0{"sid":"${sid}","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`);
    expect(Object.keys(handshake)).toEqual(['sid', 'upgrades', 'pingInterval', 'pingTimeout', 'maxPayload']);
  });

  it('announces no upgrade with allowUpgrades: false or without the websocket transport', async () => {
    const a = await startEngine({ allowUpgrades: false });
    expect((await openPolling(a)).handshake.upgrades).toEqual([]);
    const b = await startEngine({ transports: ['polling'] });
    expect((await openPolling(b)).handshake.upgrades).toEqual([]);
  });

  it('advertises maxHttpBufferSize as maxPayload and sends initialPacket right after open', async () => {
    const h = await startEngine({ maxHttpBufferSize: 5000, initialPacket: 'hi' });
    const { response, sid } = await openPolling(h);
    expect(response.text).toBe(`0{"sid":"${sid}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":5000}\x1e4hi`);
  });

  it('opens a WebSocket-only session: first text frame is open with no upgrades', async () => {
    const h = await startEngine();
    const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
    const open = await client.nextText();
    expect(open).toMatch(/^0\{"sid":"[A-Za-z0-9_-]{20}","upgrades":\[\],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000\}$/);
    const session = await h.nextSession();
    expect(session.transport.name).toBe('websocket');
    expect(session.request.url).toContain('transport=websocket');
  });

  it('keeps the opening request and the client address on the session', async () => {
    const h = await startEngine();
    const sessionP = h.nextSession();
    await openPolling(h);
    const session = await sessionP;
    expect(session.request.url).toMatch(/^\/engine\.io\/\?EIO=4&transport=polling&t=x1$/);
    expect(session.remoteAddress).toBe('127.0.0.1');
    expect(session.protocol).toBe(4);
    expect(h.engine.clientsCount).toBe(1);
  });

  it('uses an overridden generateId, sync or async', async () => {
    const h = await startEngine();
    let n = 0;
    h.engine.generateId = () => Promise.resolve(`custom-${++n}`);
    expect((await openPolling(h)).sid).toBe('custom-1');
    h.engine.generateId = () => `sync-${++n}`;
    expect((await openPolling(h)).sid).toBe('sync-2');
  });
});

describe('routing under the path (§2.1)', () => {
  it('handles any URL starting with <path>/ and leaves other requests to the server', async () => {
    const h = await startEngine();
    const sub = await request(h.port, 'GET', '/engine.io/anything?EIO=4&transport=polling');
    expect(sub.status).toBe(200);
    expect(sub.text.charAt(0)).toBe('0');
    const noSlash = await request(h.port, 'GET', '/engine.io?EIO=4&transport=polling');
    expect(noSlash.status).toBe(404);
    expect(noSlash.text).toBe('not found');
    expect((await request(h.port, 'GET', '/other')).status).toBe(404);
  });

  it('with addTrailingSlash: false matches the bare prefix', async () => {
    const h = await startEngine({ addTrailingSlash: false });
    const res = await request(h.port, 'GET', '/engine.io?EIO=4&transport=polling');
    expect(res.status).toBe(200);
    expect(res.text.charAt(0)).toBe('0');
  });

  it('ends an upgrade request outside the path that nobody answered', async () => {
    const h = await startEngine({ destroyUpgradeTimeout: 50 });
    const answer = await rawExchange(h.port, upgradeRequest('/elsewhere'));
    expect(answer).toBe('');
  });
});

describe('refusals over HTTP (§2.3 table)', () => {
  it('code 0: transport missing, unknown or not enabled', async () => {
    const h = await startEngine({ transports: ['websocket'] });
    await expectRefusal(h, 'GET', '/engine.io/?EIO=4', 0, 'Transport unknown');
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'foo' }), 0, 'Transport unknown');
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling' }), 0, 'Transport unknown');
  });

  it('code 1: unknown sid', async () => {
    const h = await startEngine();
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling', sid: 'nope' }), 1, 'Session ID unknown');
    await expectRefusal(h, 'POST', eio('/engine.io', { EIO: '4', transport: 'polling', sid: 'nope' }), 1, 'Session ID unknown');
  });

  it('code 2: opening request that is not a GET (OPTIONS too, without cors)', async () => {
    const h = await startEngine();
    await expectRefusal(h, 'POST', eio('/engine.io', { EIO: '4', transport: 'polling' }), 2, 'Bad handshake method');
    await expectRefusal(h, 'OPTIONS', eio('/engine.io', { EIO: '4', transport: 'polling' }), 2, 'Bad handshake method');
  });

  it('code 3: transport=websocket on a plain GET', async () => {
    const h = await startEngine();
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'websocket' }), 3, 'Bad request');
  });

  it('code 3: polling request for a WebSocket session', async () => {
    const h = await startEngine();
    const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
    const sid = JSON.parse((await client.nextText()).slice(1)).sid as string;
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling', sid }), 3, 'Bad request');
  });

  it('code 3: a failing engine middleware, and generateId throwing', async () => {
    const h = await startEngine();
    h.engine.use((_req, _res, next) => next(new Error('no')));
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling' }), 3, 'Bad request');
    const g = await startEngine();
    g.engine.generateId = () => Promise.reject(new Error('id store down'));
    await expectRefusal(g, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling' }), 3, 'Bad request');
  });

  it('code 3: an Origin header with characters invalid in a header value', () => {
    // Node's HTTP parser already rejects such bytes on the wire, so check the rule itself.
    const req = { method: 'GET', headers: { origin: 'http://a\u0001b' } } as unknown as IncomingMessage;
    const refused = checkRequest(req, parseQuery('/engine.io/?EIO=4&transport=polling'), ['polling', 'websocket'], false);
    expect(refused).toMatchObject({ code: 3, message: 'Bad request' });
  });

  it('code 4: allowRequest refusing, with its message or "Forbidden"; status 403', async () => {
    const h = await startEngine({ allowRequest: (req, cb) => cb(req.headers['x-token'] === undefined ? 'no token' : null, false) });
    await expectRefusal(h, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling' }), 4, 'no token', 403);
    const res = await request(h.port, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling' }), { headers: { 'x-token': '1' } });
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"code":4,"message":"Forbidden"}');
  });

  it('code 5: EIO missing, 3 or garbage', async () => {
    const h = await startEngine();
    for (const q of ['transport=polling', 'EIO=3&transport=polling', 'EIO=abc&transport=polling']) {
      await expectRefusal(h, 'GET', `/engine.io/?${q}`, 5, 'Unsupported protocol version');
    }
  });

  it('allowEIO3: true opens v3 sessions (v3 payload framing) and still refuses nothing else', async () => {
    const h = await startEngine({ allowEIO3: true });
    const res = await request(h.port, 'GET', '/engine.io/?EIO=3&transport=polling');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^\d+:0\{"sid":"[\w-]{20}"/);
    expect(h.engine.clientsCount).toBe(1);
    await expectRefusal(h, 'GET', '/engine.io/?EIO=4&transport=bogus', 0, 'Transport unknown');
  });

  it('a known sid with a method other than GET/POST gets 500 and an empty body', async () => {
    const h = await startEngine();
    const { sid } = await openPolling(h);
    const res = await request(h.port, 'PUT', eio('/engine.io', { EIO: '4', transport: 'polling', sid }));
    expect(res.status).toBe(500);
    expect(res.text).toBe('');
  });

  it('emits connection_error with req, code, message and context', async () => {
    const h = await startEngine();
    const errors: { code: number; message: string; context: Record<string, unknown>; req: IncomingMessage }[] = [];
    h.engine.on('connection_error', (e) => errors.push(e));
    await request(h.port, 'GET', '/engine.io/?EIO=3&transport=polling');
    await request(h.port, 'GET', eio('/engine.io', { EIO: '4', transport: 'polling', sid: 'zz' }));
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      [5, 'Unsupported protocol version'],
      [1, 'Session ID unknown'],
    ]);
    expect(errors[0].context).toEqual({ protocol: '3' });
    expect(errors[1].context).toEqual({ sid: 'zz' });
    expect(errors[0].req.url).toBe('/engine.io/?EIO=3&transport=polling');
  });
});

describe('refusals of WebSocket upgrades', () => {
  const RAW_400 = (message: string) =>
    `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: ${message.length}\r\n\r\n${message}`;

  it('before the handshake: raw 400 with the message as body, then the socket is closed', async () => {
    const h = await startEngine({ allowRequest: (_req, cb) => cb('go away', false) });
    expect(await rawExchange(h.port, upgradeRequest('/engine.io/?EIO=4&transport=bogus'))).toBe(RAW_400('Transport unknown'));
    expect(await rawExchange(h.port, upgradeRequest('/engine.io/?EIO=4&transport=websocket&sid=nope'))).toBe(RAW_400('Session ID unknown'));
    expect(await rawExchange(h.port, upgradeRequest('/engine.io/?EIO=4&transport=websocket'))).toBe(RAW_400('go away'));
  });

  it('after the handshake (EIO version): the 101, then the raw 400 on the same connection, as the reference', async () => {
    const h = await startEngine();
    const errors: number[] = [];
    h.engine.on('connection_error', (e: { code: number }) => errors.push(e.code));
    const raw = await rawExchange(h.port, upgradeRequest('/engine.io/?EIO=3&transport=websocket'));
    expect(raw).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(raw.endsWith(`\r\n\r\n${RAW_400('Unsupported protocol version')}`)).toBe(true);
    expect(errors).toEqual([5]);
    const client = new WsClient(`ws://127.0.0.1:${h.port}/engine.io/?EIO=3&transport=websocket`);
    expect((await client.waitClosed()).code).toBe(1006);
    expect(h.engine.clientsCount).toBe(0);
  });

  it('a second WebSocket for a WebSocket session is closed; the first is unaffected', async () => {
    const h = await startEngine();
    const first = new WsClient(wsUrl(h, { transport: 'websocket' }));
    const sid = JSON.parse((await first.nextText()).slice(1)).sid as string;
    const second = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await second.waitClosed();
    first.send('4still here');
    expect(await first.nextText()).toBe('4still here');
  });

  it('polling GET for the session still works after a refused upgrade', async () => {
    const h = await startEngine({ allowUpgrades: false });
    const { sid } = await openPolling(h);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await within(ws.closed, 2000, 'refused candidate close');
    const session = h.engine.clients.get(sid)!;
    const got = poll(h, sid);
    session.send('after');
    expect((await got).text).toBe('4after');
  });
});

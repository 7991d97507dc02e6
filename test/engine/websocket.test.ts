// docs/internals/wire-protocol.md, "WebSocket transport" and "Heartbeat" with raw `ws` clients.
import type { EngineSession } from '../../src/engine';
import { closeEngines, openPolling, poll, post, sessionClosed, startEngine, within, WsClient, wsUrl, type EngineHarness } from './helpers';

afterEach(closeEngines);

async function wsSession(h: EngineHarness, opts = {}): Promise<{ client: WsClient; session: EngineSession; sid: string }> {
  const sessionP = h.nextSession();
  const client = new WsClient(wsUrl(h, { transport: 'websocket' }), opts);
  const sid = JSON.parse((await client.nextText()).slice(1)).sid as string;
  return { client, session: await sessionP, sid };
}

describe('WebSocket transport', () => {
  it('one packet per frame: text as text frames, binary as raw binary frames', async () => {
    const h = await startEngine();
    const { client } = await wsSession(h);
    client.send('4hello');
    expect(await client.next()).toEqual({ data: '4hello', isBinary: false });
    client.send(Buffer.from([1, 2, 3, 4]));
    expect(await client.next()).toEqual({ data: Buffer.from([1, 2, 3, 4]), isBinary: true });
    client.send('4');
    expect(await client.nextText()).toBe('4');
  });

  it('a frame larger than maxHttpBufferSize closes the WebSocket with 1009 and ends the session', async () => {
    const h = await startEngine({ maxHttpBufferSize: 100 });
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session);
    client.send('4' + 'x'.repeat(99));
    expect(await client.nextText()).toBe('4' + 'x'.repeat(99));
    client.send('4' + 'x'.repeat(100));
    expect((await client.waitClosed()).code).toBe(1009);
    expect(await reason).toBe('transport error');
    expect(h.engine.clientsCount).toBe(0);
  });

  it('a 1 from the client closes the session at once (transport close)', async () => {
    const h = await startEngine();
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session);
    client.send('1');
    expect(await reason).toBe('transport close');
    await client.waitClosed();
  });

  it('the client closing the WebSocket is a transport close', async () => {
    const h = await startEngine();
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session);
    client.ws.close();
    expect(await reason).toBe('transport close');
  });

  it('server close: buffered packets first, then a close frame without status (1005), no 1 packet', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session);
    session.send('bye');
    session.close();
    expect(await client.nextText()).toBe('4bye');
    expect((await client.waitClosed()).code).toBe(1005);
    expect(await reason).toBe('forced close');
  });

  it.each([
    ['an unknown packet type', '9oops'],
    ['an empty text frame', ''],
  ])('%s is a parse error', async (_name, frame) => {
    const h = await startEngine();
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session);
    client.send(frame);
    expect(await reason).toBe('parse error');
    await client.waitClosed();
  });

  it('a ping from the client (wrong heartbeat direction) is a transport error', async () => {
    const h = await startEngine();
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session);
    client.send('2');
    expect(await reason).toBe('transport error');
  });

  it('noop and upgrade packets outside an upgrade are ignored', async () => {
    const h = await startEngine();
    const { client } = await wsSession(h);
    client.send('6');
    client.send('5');
    client.send('4still');
    expect(await client.nextText()).toBe('4still');
  });

  it('perMessageDeflate is off by default and negotiated when enabled', async () => {
    const off = await startEngine();
    const a = await wsSession(off, { perMessageDeflate: true });
    expect(a.client.upgradeHeaders['sec-websocket-extensions']).toBeUndefined();
    const on = await startEngine({ perMessageDeflate: true });
    const b = await wsSession(on, { perMessageDeflate: true });
    expect(b.client.upgradeHeaders['sec-websocket-extensions']).toMatch(/^permessage-deflate/);
    b.client.send('4' + 'z'.repeat(3000));
    expect(await b.client.nextText()).toBe('4' + 'z'.repeat(3000));
  });

  it('the 101 carries the cookie and the initial_headers/headers additions', async () => {
    const h = await startEngine({ cookie: true });
    h.engine.on('initial_headers', (headers: Record<string, string>) => {
      headers['X-Initial'] = '1';
    });
    h.engine.on('headers', (headers: Record<string, string>) => {
      headers['X-Every'] = '1';
    });
    h.engine.use((_req, res, next) => {
      res.setHeader('X-Middleware', 'm');
      next();
    });
    const { client, sid } = await wsSession(h);
    expect(client.upgradeHeaders['set-cookie']).toEqual([`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
    expect(client.upgradeHeaders['x-initial']).toBe('1');
    expect(client.upgradeHeaders['x-every']).toBe('1');
    expect(client.upgradeHeaders['x-middleware']).toBe('m');
  });

  it('send(data, options, callback): the callback runs once the frame was written', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const done = new Promise<void>((resolve) => session.send(Buffer.from([7]), { compress: false }, () => resolve()));
    await within(done, 2000, 'send callback');
    expect(await client.next()).toEqual({ data: Buffer.from([7]), isBinary: true });
  });

  it('honours send(data, { compress: false })', async () => {
    const h = await startEngine({ perMessageDeflate: { threshold: 0 } }, { echo: false });
    const { client, session } = await wsSession(h, { perMessageDeflate: true });
    session.send('plain', { compress: false });
    expect(await client.nextText()).toBe('4plain');
  });
});

describe('heartbeat (§2.9)', () => {
  it('pings pingInterval after open, then pingInterval after each pong', async () => {
    const h = await startEngine({ pingInterval: 60, pingTimeout: 500 });
    const { client, session } = await wsSession(h);
    const beats: number[] = [];
    session.on('heartbeat', () => beats.push(Date.now()));
    const t0 = Date.now();
    expect(await client.nextText()).toBe('2');
    const firstPing = Date.now() - t0;
    expect(firstPing).toBeGreaterThanOrEqual(40);
    client.send('3');
    const t1 = Date.now();
    expect(await client.nextText()).toBe('2');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(40);
    client.send('3');
    expect(await client.nextText()).toBe('2');
    expect(beats).toHaveLength(2);
  });

  it('no pong within pingTimeout closes the session with ping timeout', async () => {
    const h = await startEngine({ pingInterval: 50, pingTimeout: 50 });
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session, 2000);
    expect(await client.nextText()).toBe('2');
    expect(await reason).toBe('ping timeout');
    await client.waitClosed();
  });

  it('only a pong feeds the heartbeat: messages do not', async () => {
    const h = await startEngine({ pingInterval: 50, pingTimeout: 80 }, { echo: false });
    const { client, session } = await wsSession(h);
    const reason = sessionClosed(session, 2000);
    expect(await client.nextText()).toBe('2');
    const spam = setInterval(() => client.send('4busy'), 10);
    try {
      expect(await reason).toBe('ping timeout');
    } finally {
      clearInterval(spam);
    }
  });

  it('over polling the ping waits in the buffer and a held GET returns 2; a POSTed 3 answers it', async () => {
    const h = await startEngine({ pingInterval: 80, pingTimeout: 300 });
    const sessionP = h.nextSession();
    const { sid } = await openPolling(h);
    const session = await sessionP;
    const beat = within(new Promise((resolve) => session.once('heartbeat', resolve)), 2000, 'heartbeat');
    expect((await poll(h, sid)).text).toBe('2');
    expect((await post(h, sid, '3')).text).toBe('ok');
    await beat;
    expect((await poll(h, sid)).text).toBe('2');
    expect(session.readyState).toBe('open');
  });

  it('over polling, a silent client is dropped; its sid is then unknown', async () => {
    const h = await startEngine({ pingInterval: 40, pingTimeout: 40 });
    const sessionP = h.nextSession();
    const { sid } = await openPolling(h);
    const reason = sessionClosed(await sessionP, 2000);
    expect(await reason).toBe('ping timeout');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });
});

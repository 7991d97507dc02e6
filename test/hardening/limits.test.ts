// Every limit of docs/limits.md, provoked on a live server: the documented error or close
// happens, and the server keeps answering a well-behaved client afterwards.
import { once } from 'node:events';
import WebSocket from 'ws';
import type { ConnectionErrorEvent } from '../../src/engine';
import type { Socket } from '../../src/server';
import { WiregateError } from '../../src/shared/errors';
import {
  assertAnswered,
  closeEverything,
  httpExchange,
  installEcho,
  live,
  pollingOpen,
  rawWs,
  untilNoSessions,
  within,
  expectNothingLeaked,
  nextEvent,
} from './support';

afterEach(closeEverything);

const isText = (f: string | Buffer): f is string => typeof f === 'string';

describe('maxHttpBufferSize (message size)', () => {
  it('closes a WebSocket that sends a frame over the limit with 1009, and forgets the session', async () => {
    const l = await live({ maxHttpBufferSize: 1000 });
    installEcho(l.io);
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('4' + 'x'.repeat(2000));
    expect(await within(5000, 'close', raw.closed)).toBe(1009);
    await untilNoSessions(l.io);
    expectNothingLeaked(l.io);
    await assertAnswered(l);
  });

  it('answers a polling POST over the limit with 413', async () => {
    const l = await live({ maxHttpBufferSize: 1000 });
    installEcho(l.io);
    const sid = await pollingOpen(l);
    const res = await httpExchange(l, {
      method: 'POST',
      path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
      body: '4' + 'x'.repeat(5000),
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    });
    expect(res.status).toBe(413);
    await assertAnswered(l);
  });
});

describe('maxAttachments (attachments per packet)', () => {
  it('is a ServerOptions option: a header announcing more closes the connection', async () => {
    const l = await live({ maxAttachments: 2 });
    installEcho(l.io);
    const reasons: string[] = [];
    l.io.on('connection', (s: Socket) => s.on('disconnect', (r) => reasons.push(r)));
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40');
    await raw.waitFor((f) => isText(f) && f.startsWith('40{'));
    raw.ws.send(
      '453-["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]',
    );
    await within(5000, 'close', raw.closed);
    expect(reasons).toEqual(['forced close']);
    await untilNoSessions(l.io);
    expectNothingLeaked(l.io);
    await assertAnswered(l);
  });

  it('accepts a packet with exactly the limit', async () => {
    const l = await live({ maxAttachments: 2 });
    const got = new Promise<unknown[]>((resolve) =>
      l.io.on('connection', (s: Socket) => s.on('up', (...a: unknown[]) => resolve(a))),
    );
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40');
    await raw.waitFor((f) => isText(f) && f.startsWith('40{'));
    raw.ws.send('452-["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    raw.ws.send(Buffer.from([1]));
    raw.ws.send(Buffer.from([2]));
    const args = await within(5000, 'the binary event', got);
    expect(args).toEqual([Buffer.from([1]), Buffer.from([2])]);
  });
});

describe('maxNamespacesPerConnection', () => {
  it('refuses a CONNECT past the limit with a connect_error; the connection stays usable', async () => {
    const l = await live({ maxNamespacesPerConnection: 2 });
    for (const name of ['/a', '/b', '/c']) l.io.of(name);
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40/a,');
    await raw.waitFor((f) => isText(f) && f.startsWith('40/a,{'));
    raw.ws.send('40/b,');
    await raw.waitFor((f) => isText(f) && f.startsWith('40/b,{'));
    raw.ws.send('40/c,');
    const refused = await raw.waitFor((f) => isText(f) && f.startsWith('44/c,'));
    expect(JSON.parse((refused as string).slice('44/c,'.length))).toEqual({
      message: 'Too many namespaces',
      data: { code: 'WG_ERR_TOO_MANY_NAMESPACES' },
    });
    expect(l.io.of('/c').sockets.size).toBe(0);
    // Leaving one namespace makes room for another.
    raw.ws.send('41/a,');
    raw.ws.send('40/c,');
    await raw.waitFor((f) => isText(f) && f.startsWith('40/c,{'));
    expect(l.io.of('/c').sockets.size).toBe(1);
  });

  it('defaults to 100', async () => {
    const l = await live();
    for (let i = 0; i <= 100; i++) l.io.of(`/n${i}`);
    const raw = rawWs(l);
    await raw.opened;
    for (let i = 0; i <= 100; i++) raw.ws.send(`40/n${i},`);
    const refused = await raw.waitFor((f) => isText(f) && f.startsWith('44/n100,'));
    expect(refused).toContain('Too many namespaces');
    expect(raw.frames.filter((f) => isText(f) && f.startsWith('40/n')).length).toBe(100);
  });

  it('counts connected namespaces (official client, dynamic namespaces)', async () => {
    const l = await live({ maxNamespacesPerConnection: 3 });
    l.io.of(/^\/room-\d+$/);
    const { Manager } = await import('socket.io-client');
    const manager = new Manager(l.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    try {
      const ok = ['/room-1', '/room-2', '/room-3'].map((n) => manager.socket(n).connect());
      await within(5000, 'three namespaces', Promise.all(ok.map((s) => nextEvent(s, 'connect'))));
      const extra = manager.socket('/room-4').connect();
      const [err] = (await within(5000, 'connect_error', nextEvent(extra, 'connect_error'))) as [
        Error & { data?: unknown },
      ];
      expect(err.message).toBe('Too many namespaces');
      expect(err.data).toEqual({ code: 'WG_ERR_TOO_MANY_NAMESPACES' });
    } finally {
      manager.engine?.close();
    }
  });
});

describe('connectTimeout', () => {
  it('closes a session that connects to no namespace in time', async () => {
    const l = await live({ connectTimeout: 150 });
    const raw = rawWs(l);
    await raw.opened;
    await within(5000, 'the connect timeout close', raw.closed);
    await untilNoSessions(l.io);
    expectNothingLeaked(l.io);
  });

  it('keeps a session that connected', async () => {
    const l = await live({ connectTimeout: 150, pingInterval: 100, pingTimeout: 2000 });
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40');
    await raw.waitFor((f) => isText(f) && f.startsWith('40{'));
    // Outlive the timeout by a few pings (each ping is proof of time passing, not a sleep).
    for (let i = 0; i < 3; i++) {
      const before = raw.frames.length;
      await raw.waitFor((f) => f === '2' && raw.frames.length > before);
      raw.ws.send('3');
    }
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('maxPendingAcks', () => {
  async function connectedRaw(limit: number | undefined) {
    const l = await live(limit === undefined ? {} : { maxPendingAcks: limit });
    const socketP = new Promise<Socket>((resolve) => l.io.on('connection', resolve));
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40');
    await raw.waitFor((f) => isText(f) && f.startsWith('40{'));
    return { l, raw, socket: await within(5000, 'connection', socketP) };
  }

  it('refuses the emit past the limit: its callback gets WG_ERR_TOO_MANY_ACKS at once, nothing is sent', async () => {
    const { raw, socket } = await connectedRaw(3);
    const replies: unknown[] = [];
    let firstReply!: () => void;
    const replied = new Promise<void>((resolve) => (firstReply = resolve));
    for (let i = 0; i < 3; i++) {
      socket.emit('q', i, (r: unknown) => {
        replies.push(r);
        firstReply();
      });
    }
    await raw.waitFor((f) => f === '422["q",2]');
    const refused = await within(
      1000,
      'the refusal',
      new Promise<unknown>((resolve) => socket.emit('q', 3, resolve)),
    );
    expect(refused).toBeInstanceOf(WiregateError);
    expect((refused as WiregateError).code).toBe('WG_ERR_TOO_MANY_ACKS');
    // emitWithAck rejects, with or without a timeout flag.
    await expect(socket.emitWithAck('q', 4)).rejects.toMatchObject({
      code: 'WG_ERR_TOO_MANY_ACKS',
    });
    await expect(socket.timeout(1000).emitWithAck('q', 5)).rejects.toMatchObject({
      code: 'WG_ERR_TOO_MANY_ACKS',
    });
    // A reply frees a slot.
    raw.ws.send('430["a0"]');
    await within(5000, 'the reply', replied);
    expect(replies).toEqual(['a0']);
    socket.emit('q', 6, () => undefined);
    await raw.waitFor((f) => isText(f) && f.startsWith('42') && f.endsWith('["q",6]'));
    expect(raw.frames.filter((f) => isText(f) && /^42\d+\["q",[345]\]$/.test(f))).toEqual([]);
  });

  it('defaults to 1000', async () => {
    const { socket } = await connectedRaw(undefined);
    for (let i = 0; i < 1000; i++) socket.emit('q', () => undefined);
    const refused = await within(
      1000,
      'the refusal',
      new Promise<unknown>((resolve) => socket.emit('q', resolve)),
    );
    expect((refused as WiregateError).code).toBe('WG_ERR_TOO_MANY_ACKS');
  });
});

describe('maxConnections', () => {
  it('refuses new sessions when full: HTTP 503 JSON for polling, 503 before the WebSocket upgrade', async () => {
    const l = await live({ maxConnections: 2 });
    installEcho(l.io);
    const errors: ConnectionErrorEvent[] = [];
    l.io.engine.on('connection_error', (e: ConnectionErrorEvent) => errors.push(e));
    const a = rawWs(l);
    const b = rawWs(l);
    await Promise.all([a.opened, b.opened]);
    expect(l.io.engine.clientsCount).toBe(2);

    const poll = await httpExchange(l, { path: '/socket.io/?EIO=4&transport=polling' });
    expect(poll.status).toBe(503);
    expect(poll.headers['content-type']).toBe('application/json');
    expect(JSON.parse(poll.body)).toEqual({ code: 3, message: 'Server full' });

    const ws = new WebSocket(`ws://127.0.0.1:${l.port}/socket.io/?EIO=4&transport=websocket`);
    ws.on('error', () => undefined);
    const [, res] = (await within(
      5000,
      'the refused upgrade',
      once(ws, 'unexpected-response'),
    )) as [unknown, { statusCode: number }];
    expect(res.statusCode).toBe(503);
    ws.terminate();

    expect(errors.map((e) => [e.code, e.message, e.context.name])).toEqual([
      [3, 'Server full', 'SERVER_FULL'],
      [3, 'Server full', 'SERVER_FULL'],
    ]);
    expect(l.io.engine.clientsCount).toBe(2);

    // Requests of existing sessions still go through, and a freed slot is usable again.
    const oneClosed = Promise.race([...l.io.engine.clients.values()].map((s) => once(s, 'close')));
    a.ws.terminate();
    await within(5000, 'a slot to free', oneClosed);
    await assertAnswered(l);
  });

  it('is unlimited by default (0)', async () => {
    const l = await live();
    const raws = Array.from({ length: 20 }, () => rawWs(l));
    await Promise.all(raws.map((r) => r.opened));
    expect(l.io.engine.clientsCount).toBe(20);
  });

  it('rejects a negative limit at construction with WG_ERR_INVALID_ARGUMENT', async () => {
    await expect(live({ maxConnections: -1 })).rejects.toMatchObject({
      code: 'WG_ERR_INVALID_ARGUMENT',
    });
    await expect(live({ maxBufferedBytes: Number.NaN })).rejects.toMatchObject({
      code: 'WG_ERR_INVALID_ARGUMENT',
    });
  });
});

// Security guarantees of docs/security.md: no prototype pollution through payloads, the
// handshake query or auth; oversized headers refused by Node with 431 while the server
// lives on; CORS denies cross-origin reads unless configured; clients never see a stack
// trace or an internal message.
import WebSocket from 'ws';
import type { Socket } from '../../src/server';
import {
  assertAnswered,
  closeEverything,
  httpExchange,
  installEcho,
  live,
  nextEvent,
  officialClient,
  pollingOpen,
  rawWs,
  within,
  type Live,
} from './support';

afterEach(closeEverything);

function expectPrototypesClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

/** The own and inherited enumerable keys of a value: inherited junk shows up here. */
function forInKeys(value: object): string[] {
  const keys: string[] = [];
  for (const key in value) keys.push(key);
  return keys;
}

async function connectedSocket(
  l: Live,
  query = '',
  auth = '',
): Promise<{ socket: Socket; raw: ReturnType<typeof rawWs> }> {
  const connected = new Promise<Socket>((resolve) => l.io.on('connection', resolve));
  const raw = rawWs(l, query);
  await raw.opened;
  raw.ws.send('40' + auth);
  return { socket: await within(5000, 'connection', connected), raw };
}

describe('prototype pollution', () => {
  const payloads = [
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"a":{"__proto__":{"polluted":1}},"b":[{"__proto__":{"x":1}}]}',
  ];

  it.each(payloads)(
    'an event payload %s reaches the handler as plain data and pollutes nothing',
    async (json) => {
      const l = await live();
      const { socket, raw } = await connectedSocket(l);
      const got = nextEvent(socket, 'data');
      raw.ws.send(`42["data",${json}]`);
      const [value] = (await within(5000, 'the event', got)) as [Record<string, unknown>];
      expectPrototypesClean();
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(value.polluted).toBeUndefined();
      expect(forInKeys(value).sort()).toEqual(Object.keys(JSON.parse(json)).sort());
    },
  );

  it('a binary placeholder under "__proto__" replaces a value, never a prototype', async () => {
    const l = await live();
    const { socket, raw } = await connectedSocket(l);
    const got = nextEvent(socket, 'data');
    raw.ws.send('451-["data",{"__proto__":{"_placeholder":true,"num":0}}]');
    raw.ws.send(Buffer.from([1, 2, 3]));
    const [value] = (await within(5000, 'the event', got)) as [Record<string, unknown>];
    expectPrototypesClean();
    expect(Object.getPrototypeOf(value)).not.toBe(Buffer.prototype);
    expect(Buffer.isBuffer(value)).toBe(false);
  });

  it('the same payloads over polling', async () => {
    const l = await live();
    const values: unknown[] = [];
    let allIn!: () => void;
    const done = new Promise<void>((resolve) => (allIn = resolve));
    l.io.on('connection', (s: Socket) =>
      s.on('data', (v: unknown) => {
        values.push(v);
        if (values.length === payloads.length) allIn();
      }),
    );
    const sid = await pollingOpen(l);
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    await httpExchange(l, { method: 'POST', path, body: '40' });
    await httpExchange(l, {
      method: 'POST',
      path,
      body: payloads.map((p) => `42["data",${p}]`).join('\x1e'),
    });
    await within(5000, 'the events', done);
    expectPrototypesClean();
    for (const v of values) expect((v as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the handshake query keeps "__proto__" and "constructor" as plain own strings', async () => {
    const l = await live();
    const { socket } = await connectedSocket(
      l,
      '&__proto__[x]=1&__proto__=evil&constructor[prototype][polluted]=1&toString=x',
    );
    const query = socket.handshake.query as Record<string, unknown>;
    expectPrototypesClean();
    expect(query.x).toBeUndefined();
    expect(query.polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toBe('evil');
    expect(forInKeys(query).sort()).toEqual(Object.keys(query).sort());
    for (const key of Object.keys(query)) expect(typeof query[key]).toBe('string');
  });

  it('the CONNECT auth payload is plain data with no inherited junk', async () => {
    const l = await live();
    const { socket } = await connectedSocket(
      l,
      '',
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"token":"t"}',
    );
    const auth = socket.handshake.auth as Record<string, unknown>;
    expectPrototypesClean();
    expect(auth.polluted).toBeUndefined();
    expect(auth.token).toBe('t');
    expect(forInKeys(auth).sort()).toEqual(Object.keys(auth).sort());
  });
});

describe('oversized headers', () => {
  it('Node answers 431 to a request with more than 16 KiB of headers; the server lives on', async () => {
    const l = await live();
    installEcho(l.io);
    const res = await httpExchange(l, {
      path: '/socket.io/?EIO=4&transport=polling',
      headers: { 'X-Big': 'a'.repeat(20 * 1024) },
    });
    expect(res.status).toBe(431);
    const ws = new WebSocket(`ws://127.0.0.1:${l.port}/socket.io/?EIO=4&transport=websocket`, {
      headers: { 'X-Big': 'a'.repeat(20 * 1024) },
    });
    ws.on('error', () => undefined);
    const [, upgradeRes] = (await within(
      5000,
      'the refused upgrade',
      nextEvent(ws, 'unexpected-response'),
    )) as [unknown, { statusCode: number }];
    expect(upgradeRes.statusCode).toBe(431);
    ws.terminate();
    expect(l.io.engine.clientsCount).toBe(0);
    await assertAnswered(l);
  });
});

describe('CORS', () => {
  it('by default sends no CORS header: a cross-origin page cannot read the answers', async () => {
    const l = await live();
    const res = await httpExchange(l, {
      path: '/socket.io/?EIO=4&transport=polling',
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await httpExchange(l, {
      method: 'OPTIONS',
      path: '/socket.io/?EIO=4&transport=polling',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('allows exactly the configured origin', async () => {
    const l = await live({ cors: { origin: 'https://app.example', credentials: true } });
    const good = await httpExchange(l, {
      path: '/socket.io/?EIO=4&transport=polling',
      headers: { Origin: 'https://app.example' },
    });
    expect(good.headers['access-control-allow-origin']).toBe('https://app.example');
    const evil = await httpExchange(l, {
      path: '/socket.io/?EIO=4&transport=polling',
      headers: { Origin: 'https://evil.example' },
    });
    expect(evil.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    expect(evil.headers['access-control-allow-origin']).not.toBe('*');
  });

  it('WebSockets are not covered by CORS: allowRequest is where an Origin check goes', async () => {
    const l = await live({
      allowRequest: (req, callback) =>
        callback('origin not allowed', req.headers.origin === 'https://app.example'),
    });
    const evil = new WebSocket(`ws://127.0.0.1:${l.port}/socket.io/?EIO=4&transport=websocket`, {
      origin: 'https://evil.example',
    });
    evil.on('error', () => undefined);
    // docs/internals/wire-protocol.md, "Request checks and refusals": an upgrade refused before the handshake gets a raw 400 with the message.
    const [, res] = (await within(5000, 'the refusal', nextEvent(evil, 'unexpected-response'))) as [
      unknown,
      { statusCode: number },
    ];
    expect(res.statusCode).toBe(400);
    evil.terminate();
    const ok = new WebSocket(`ws://127.0.0.1:${l.port}/socket.io/?EIO=4&transport=websocket`, {
      origin: 'https://app.example',
    });
    ok.on('error', () => undefined);
    await within(5000, 'the allowed upgrade', nextEvent(ok, 'open'));
    ok.terminate();
  });
});

describe('nothing internal reaches a client', () => {
  const STACK = /\bat .+[:(]\d+|\.ts\b|node:internal|\/src\//;

  it('a middleware error carries its message (and data the app chose), never the stack', async () => {
    const l = await live();
    l.io.use((_socket, next) => {
      const err = new Error('not authorized') as Error & { data?: unknown };
      err.data = { reason: 'token expired' };
      next(err);
    });
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40');
    const frame = (await raw.waitFor((f) => typeof f === 'string' && f.startsWith('44'))) as string;
    expect(JSON.parse(frame.slice(2))).toEqual({
      message: 'not authorized',
      data: { reason: 'token expired' },
    });
    expect(frame).not.toMatch(STACK);
  });

  it('a throwing namespace matcher is an unknown namespace to the client', async () => {
    const l = await live();
    l.io.of(() => {
      throw new Error('matcher exploded at /srv/app/secret.ts:12');
    });
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40/anything,');
    const frame = (await raw.waitFor(
      (f) => typeof f === 'string' && f.startsWith('44/anything,'),
    )) as string;
    expect(JSON.parse(frame.slice('44/anything,'.length))).toEqual({
      message: 'Invalid namespace',
    });
  });

  it('a malformed packet closes the connection without telling why', async () => {
    const l = await live();
    const raw = rawWs(l);
    await raw.opened;
    raw.ws.send('40');
    await raw.waitFor((f) => typeof f === 'string' && f.startsWith('40{'));
    raw.ws.send('42["x",{"bad json');
    await within(5000, 'close', raw.closed);
    for (const f of raw.frames) if (typeof f === 'string') expect(f).not.toMatch(STACK);
    expect(raw.frames.filter((f) => typeof f === 'string' && /error|Error/.test(f))).toEqual([]);
  });

  it('an official client refused by a throwing middleware sees only the message', async () => {
    const l = await live();
    l.io.use(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    });
    const c = officialClient(l);
    const [err] = (await within(5000, 'connect_error', nextEvent(c, 'connect_error'))) as [
      Error & { data?: unknown },
    ];
    expect(err.message).toBe("Cannot read properties of undefined (reading 'id')");
    expect(err.data).toBeUndefined();
  });
});

// Issue 13, part 3: Engine.IO v3 / Socket.IO protocol v4 (socket.io-client 2.x) behind
// `allowEIO3: true`, and the refusal without it. Every scenario runs against socket.io 4.8 too
// and the two are compared; raw-frame tests pin the v3 framing and the refusal bytes.
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import connectV2, { type V2Socket } from 'socket.io-client-v2';
import { io as connectV4 } from 'socket.io-client';
import WebSocket from 'ws';
import {
  closeAllPairs,
  engineSession,
  IMPLEMENTATIONS,
  next,
  onCleanup,
  start,
  within,
  type Implementation,
  type PairOptions,
  type Started,
} from './pair';

afterEach(closeAllPairs);

const TRANSPORTS = [['polling'], ['websocket'], ['polling', 'websocket']] as const;
type Transports = (typeof TRANSPORTS)[number];

function v2(s: Started, nsp: string, transports: readonly string[], extra: object = {}): V2Socket {
  const c = connectV2(s.url + nsp, {
    transports: [...transports],
    forceNew: true,
    reconnection: false,
    ...extra,
  });
  onCleanup(() => {
    c.close();
    c.io.engine?.close();
  });
  return c;
}

/** The first of the events a v2 client reports about its connection, with its argument. */
function outcome(c: V2Socket, ms = 5000): Promise<unknown[]> {
  return within(
    new Promise((resolve) => {
      for (const ev of ['connect', 'connect_error', 'connect_timeout', 'error', 'disconnect'])
        c.once(ev, (arg: unknown) => resolve([ev, arg instanceof Error ? arg.message : arg]));
    }),
    ms,
    'the v2 client to connect or fail',
  );
}

const V3_OPTIONS: PairOptions = { allowEIO3: true, pingInterval: 300, pingTimeout: 1500 };

function setup(s: Started): void {
  s.io.on('connection', (socket) => {
    socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
    socket.on('join', (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
    socket.on('shout', (room: string, payload: unknown) =>
      socket.to(room).emit('shouted', payload, Buffer.from([7, 8])),
    );
    socket.on('whoami', (ack: (id: string) => void) => ack(socket.id));
    socket.emit('welcome', { bin: Buffer.from([1, 2, 3]), n: 1 });
  });
  s.io.of('/admin').use((socket, next) => {
    if (socket.handshake.auth.token === 'ok') next();
    else next(Object.assign(new Error('not allowed'), { data: { code: 42 } }));
  });
  s.io
    .of('/admin')
    .on('connection', (socket) =>
      socket.emit(
        'admin',
        socket.nsp.name,
        socket.handshake.auth,
        socket.handshake.query.token,
        socket.id,
      ),
    );
}

function ack(c: V2Socket, ...args: unknown[]): Promise<unknown> {
  return within(
    new Promise((resolve) => c.emit(...(args as [string]), resolve)),
    5000,
    `ack of ${String(args[0])}`,
  );
}

/** What v2 clients saw, with session-dependent ids replaced by what they must equal. */
async function scenario(impl: Implementation, transports: Transports): Promise<unknown[]> {
  const s = await start(impl, V3_OPTIONS);
  setup(s);
  const seen: unknown[] = [];
  const a = v2(s, '/', transports);
  const welcome = next(a, 'welcome');
  seen.push(await outcome(a));
  seen.push(['welcome', ...(await welcome)]);
  seen.push(['ack', await ack(a, 'echo', { b: Buffer.from([4, 5]), s: 'é' })]);
  seen.push([
    'server id is the client id',
    (await ack(a, 'whoami')) === a.id,
    a.id === a.io.engine.id,
  ]);
  const b = v2(s, '/', transports);
  const c = v2(s, '/', transports);
  await Promise.all([outcome(b), outcome(c)]);
  await ack(b, 'join', 'room');
  await ack(c, 'join', 'room');
  const shouted = Promise.all([next(b, 'shouted'), next(c, 'shouted')]);
  a.emit('shout', 'room', { hi: Buffer.from([9]) });
  seen.push(['shouted', await shouted]);
  const admin = v2(s, '/admin', transports, { query: { token: 'ok' } });
  const [name, auth, query, id] = await next(admin, 'admin');
  seen.push([
    'admin',
    name,
    auth,
    query,
    id === admin.id,
    admin.id === `/admin#${admin.io.engine.id}`,
  ]);
  const refused = v2(s, '/admin', transports, { query: { token: 'no' } });
  seen.push(['refused', await outcome(refused)]);
  const unknown = v2(s, '/nope', transports);
  seen.push(['unknown namespace', await outcome(unknown)]);
  // v3 heartbeat: the client pings, the server answers.
  seen.push(['pong', typeof (await next(a, 'pong', 5000))[0]]);
  if (transports.length === 2) {
    if (a.io.engine.transport.name !== 'websocket') await next(a.io.engine, 'upgrade');
    seen.push(['upgraded', a.io.engine.transport.name]);
    seen.push(['ack after upgrade', await ack(a, 'echo', [Buffer.from([6])])]);
  }
  return seen;
}

describe.each(TRANSPORTS)('socket.io-client 2.x over %s with allowEIO3', (...transports) => {
  const t = transports as unknown as Transports;

  it('connects; acks, binary, rooms, broadcasts, namespaces with query, refusals, heartbeat: as socket.io', async () => {
    const wiregate = await scenario('wiregate', t);
    await closeAllPairs();
    const reference = await scenario('socket.io', t);
    expect(wiregate).toEqual(reference);
    expect(wiregate.slice(0, 9)).toEqual([
      ['connect', undefined],
      ['welcome', { bin: Buffer.from([1, 2, 3]), n: 1 }],
      ['ack', { b: Buffer.from([4, 5]), s: 'é' }],
      ['server id is the client id', true, true],
      [
        'shouted',
        [
          [{ hi: Buffer.from([9]) }, Buffer.from([7, 8])],
          [{ hi: Buffer.from([9]) }, Buffer.from([7, 8])],
        ],
      ],
      ['admin', '/admin', { token: 'ok' }, 'ok', true, true],
      ['refused', ['error', { code: 42 }]],
      ['unknown namespace', ['error', { message: 'Invalid namespace' }]],
      ['pong', 'number'],
    ]);
  });
});

describe('socket.io-client 2.x with forceBase64 (binary as base64 text)', () => {
  it.each([['polling'], ['websocket']])(
    'over %s: binary both ways, as socket.io',
    async (transport) => {
      const seen: unknown[] = [];
      for (const impl of IMPLEMENTATIONS) {
        const s = await start(impl, V3_OPTIONS);
        setup(s);
        const c = v2(s, '/', [transport], { forceBase64: true });
        const welcome = next(c, 'welcome');
        await outcome(c);
        seen.push([await welcome, await ack(c, 'echo', [Buffer.from([250, 251])])]);
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0]).toEqual([[{ bin: Buffer.from([1, 2, 3]), n: 1 }], [Buffer.from([250, 251])]]);
    },
  );
});

describe('old and current clients on one server', () => {
  it.each(IMPLEMENTATIONS)('%s: a broadcast reaches a 2.x and a 4.x client alike', async (impl) => {
    const s = await start(impl, V3_OPTIONS);
    const old = v2(s, '/', ['websocket']);
    const current = connectV4(s.url, {
      transports: ['polling'],
      forceNew: true,
      reconnection: false,
    });
    onCleanup(() => current.disconnect());
    await Promise.all([outcome(old), next(current, 'connect')]);
    const protocols = [...s.io.sockets.sockets.values()]
      .map((socket) => socket.conn.protocol)
      .sort();
    const received = Promise.all([next(old, 'news'), next(current, 'news')]);
    s.io.emit('news', 'both', Buffer.from([1]));
    expect(await received).toEqual([
      ['both', Buffer.from([1])],
      ['both', Buffer.from([1])],
    ]);
    expect(protocols).toEqual([3, 4]);
  });
});

describe('without allowEIO3 a v3 client is refused as socket.io refuses it, at once', () => {
  it.each(TRANSPORTS)('over %s', async (...transports) => {
    const seen: Record<string, unknown> = {};
    for (const impl of IMPLEMENTATIONS) {
      const s = await start(impl);
      let connections = 0;
      s.io.engine.on('connection', () => connections++);
      const errors: unknown[] = [];
      s.io.engine.on('connection_error', (e: { code: number; message: string }) =>
        errors.push([e.code, e.message]),
      );
      // Well within the client's 20 s connect timeout: the refusal is immediate.
      seen[impl] = [
        await outcome(v2(s, '/', transports as unknown as readonly string[]), 5000),
        errors,
        connections,
      ];
    }
    expect(seen.wiregate).toEqual(seen['socket.io']);
    expect((seen.wiregate as unknown[])[0]).toEqual([
      'connect_error',
      transports[0] === 'websocket' ? 'websocket error' : 'xhr poll error',
    ]);
    expect((seen.wiregate as unknown[])[1]).toEqual([[5, 'Unsupported protocol version']]);
  });
});

// ---- raw frames ----

interface RawResponse {
  status: number;
  type: string | undefined;
  body: Buffer;
}

function raw(
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
  type?: string,
): Promise<RawResponse> {
  return within(
    new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method, path, headers: type ? { 'Content-Type': type } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              type: res.headers['content-type'],
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    }),
    5000,
    `${method} ${path}`,
  );
}

/** Bytes a raw upgrade request gets back until the server ends the connection. */
function rawUpgrade(port: number, path: string): Promise<string> {
  return within(
    new Promise((resolve, reject) => {
      const socket = netConnect(port, '127.0.0.1', () =>
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        ),
      );
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
    }),
    5000,
    'raw upgrade',
  );
}

/** A v3 payload with the session id masked, for comparing two servers. */
function masked(text: string, sid: string): string {
  return text.split(sid).join('<sid>');
}

/** Opens a v3 polling session; its sid and the first response's body. */
async function openV3(s: Started, query = ''): Promise<{ sid: string; first: string }> {
  const res = await raw(s.port, 'GET', `/socket.io/?EIO=3&transport=polling${query}`);
  const first = res.body.toString();
  const sid = (JSON.parse(/^\d+:0(\{.*?\})/.exec(first)![1]) as { sid: string }).sid;
  return { sid, first };
}

describe('raw: the refusal without allowEIO3', () => {
  it('polling: 400, JSON body with code 5, byte for byte as socket.io', async () => {
    const bodies: unknown[] = [];
    for (const impl of IMPLEMENTATIONS) {
      const s = await start(impl);
      for (const query of [
        'EIO=3&transport=polling',
        'transport=polling',
        'EIO=2&transport=polling',
      ]) {
        const res = await raw(s.port, 'GET', `/socket.io/?${query}`);
        bodies.push([impl, query, res.status, res.type, res.body.toString()]);
      }
    }
    const [wiregate, reference] = [bodies.slice(0, 3), bodies.slice(3)];
    expect(wiregate.map((b) => (b as unknown[]).slice(1))).toEqual(
      reference.map((b) => (b as unknown[]).slice(1)),
    );
    expect((wiregate[0] as unknown[]).slice(2)).toEqual([
      400,
      'application/json',
      '{"code":5,"message":"Unsupported protocol version"}',
    ]);
  });

  it('WebSocket: the 101, then a raw 400 with the message, then the end, as socket.io', async () => {
    const after101: string[] = [];
    for (const impl of IMPLEMENTATIONS) {
      const s = await start(impl);
      const bytes = await rawUpgrade(s.port, '/socket.io/?EIO=3&transport=websocket');
      expect(bytes).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      after101.push(bytes.slice(bytes.indexOf('\r\n\r\n') + 4));
    }
    expect(after101[0]).toBe(after101[1]);
    expect(after101[0]).toBe(
      'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: 28\r\n\r\nUnsupported protocol version',
    );
  });
});

describe("raw: a request must speak its session's revision", () => {
  it('EIO=3 on a v4 session, EIO=4 on a v3 one: 400, code 3, as socket.io', async () => {
    const seen: unknown[] = [];
    for (const impl of IMPLEMENTATIONS) {
      const s = await start(impl, V3_OPTIONS);
      const v4 = await raw(s.port, 'GET', '/socket.io/?EIO=4&transport=polling');
      const v4sid = (JSON.parse(v4.body.toString().slice(1)) as { sid: string }).sid;
      const { sid: v3sid } = await openV3(s);
      const wrong = [
        await raw(s.port, 'GET', `/socket.io/?EIO=3&transport=polling&sid=${v4sid}`),
        await raw(s.port, 'GET', `/socket.io/?EIO=4&transport=polling&sid=${v3sid}`),
      ];
      seen.push(wrong.map((r) => [r.status, r.body.toString()]));
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toEqual([
      [400, '{"code":3,"message":"Bad request"}'],
      [400, '{"code":3,"message":"Bad request"}'],
    ]);
  });
});

describe('raw: v3 framing with allowEIO3', () => {
  /** Runs `exchange` against both servers (each set up by `prepare`) and returns both results. */
  async function both<T>(
    exchange: (s: Started) => Promise<T>,
    prepare: (s: Started) => void = () => undefined,
  ): Promise<T[]> {
    const results: T[] = [];
    for (const impl of IMPLEMENTATIONS) {
      const s = await start(impl, V3_OPTIONS);
      prepare(s);
      results.push(await exchange(s));
    }
    return results;
  }

  it('polling: the open packet alone in a length-prefixed payload; the implicit CONNECT of / follows', async () => {
    const [wiregate, reference] = await both(async (s) => {
      const { sid, first } = await openV3(s);
      return masked(first, sid);
    });
    expect(wiregate).toBe(reference);
    const open =
      '0{"sid":"<sid>","upgrades":["websocket"],"pingInterval":300,"pingTimeout":1500,"maxPayload":1000000}';
    expect(wiregate).toBe(`${open.length - 5 + 20}:${open}`);
  });

  it('polling: the client pings (`1:2`), the server pongs (`1:3`), as socket.io', async () => {
    const [wiregate, reference] = await both(async (s) => {
      const { sid } = await openV3(s);
      const path = `/socket.io/?EIO=3&transport=polling&sid=${sid}`;
      const post = await raw(s.port, 'POST', path, '1:2', 'text/plain;charset=UTF-8');
      const poll = await raw(s.port, 'GET', path);
      return [post.status, post.body.toString(), poll.type, poll.body.toString()];
    });
    expect(wiregate).toEqual(reference);
    expect(wiregate).toEqual([200, 'ok', 'text/plain; charset=UTF-8', '2:401:3']);
  });

  // engine.io closes the same way ("invalid heartbeat direction"), but leaves a heartbeat timer
  // running after that close, which would outlive the test: checked on wiregate only.
  it('a pong from a v3 client is a transport error', async () => {
    const s = await start('wiregate', V3_OPTIONS);
    const { sid } = await openV3(s);
    const closed = next(engineSession(s, sid)!, 'close');
    await raw(
      s.port,
      'POST',
      `/socket.io/?EIO=3&transport=polling&sid=${sid}`,
      '1:3',
      'text/plain;charset=UTF-8',
    );
    expect((await closed)[0]).toBe('transport error');
  });

  it('polling: binary to a client that takes binary is an octet-stream payload; with b64, `b4` base64 text', async () => {
    const emitBinary = (s: Started) =>
      s.io.on('connection', (socket) => {
        socket.on('go', () => socket.emit('bin', Buffer.from([1, 2, 3])));
      });
    const exchange = (query: string) => async (s: Started) => {
      const { sid } = await openV3(s, query);
      const path = `/socket.io/?EIO=3&transport=polling&sid=${sid}`;
      await raw(s.port, 'POST', path, '8:42["go"]', 'text/plain;charset=UTF-8');
      const poll = await raw(s.port, 'GET', path);
      return [poll.type, poll.body.toString('latin1')];
    };
    const [binary, binaryReference] = await both(exchange(''), emitBinary);
    expect(binary).toEqual(binaryReference);
    const text = '451-["bin",{"_placeholder":true,"num":0}]';
    expect(binary).toEqual([
      'application/octet-stream',
      `\x00\x02\xff40\x00\x04\x01\xff${text}\x01\x04\xff\x04\x01\x02\x03`,
    ]);
    const [base64, base64Reference] = await both(exchange('&b64=1'), emitBinary);
    expect(base64).toEqual(base64Reference);
    expect(base64).toEqual(['text/plain; charset=UTF-8', `2:40${text.length}:${text}6:b4AQID`]);
  });

  it('polling: a binary POST payload (octet-stream) carries an event with its attachment', async () => {
    let uploaded: (data: unknown) => void = () => undefined;
    const [wiregate, reference] = await both(
      async (s) => {
        const { sid } = await openV3(s);
        const got = new Promise((resolve) => (uploaded = resolve));
        const text = Buffer.from('451-["up",{"_placeholder":true,"num":0}]');
        const body = Buffer.concat([
          Buffer.from([0, ...String(text.length).split('').map(Number), 255]),
          text,
          Buffer.from([1, 4, 255, 4, 9, 8, 7]),
        ]);
        const path = `/socket.io/?EIO=3&transport=polling&sid=${sid}`;
        const post = await raw(s.port, 'POST', path, body, 'application/octet-stream');
        return [post.status, post.body.toString(), await within(got, 5000, 'upload')];
      },
      (s) => s.io.on('connection', (socket) => socket.on('up', (data: Buffer) => uploaded(data))),
    );
    expect(wiregate).toEqual(reference);
    expect(wiregate).toEqual([200, 'ok', Buffer.from([9, 8, 7])]);
  });

  it('WebSocket: `40` without a sid, binary frames with a type byte, client pings', async () => {
    const [wiregate, reference] = await both(
      async (s) => {
        const ws = new WebSocket(`ws://127.0.0.1:${s.port}/socket.io/?EIO=3&transport=websocket`);
        onCleanup(() => ws.terminate());
        const frames: (string | number[])[] = [];
        const enough = new Promise<void>((resolve) =>
          ws.on('message', (data: Buffer, isBinary: boolean) => {
            frames.push(isBinary ? [...data] : data.toString());
            if (frames.length === 5) resolve();
          }),
        );
        await within(new Promise((resolve) => ws.once('open', resolve)), 5000, 'open');
        ws.send('2');
        ws.send('451-["up",{"_placeholder":true,"num":0}]');
        ws.send(Buffer.from([4, 5, 6]));
        await within(enough, 5000, 'frames');
        return [JSON.parse((frames[0] as string).slice(1)).upgrades, ...frames.slice(1)];
      },
      (s) =>
        s.io.on('connection', (socket) =>
          socket.on('up', (data: Buffer) => socket.emit('down', data)),
        ),
    );
    expect(wiregate).toEqual(reference);
    expect(wiregate).toEqual([
      [],
      '40',
      '3',
      '451-["down",{"_placeholder":true,"num":0}]',
      [4, 5, 6],
    ]);
  });

  it('a v3 session whose client stops pinging closes after pingInterval + pingTimeout', async () => {
    const s = await start('wiregate', { allowEIO3: true, pingInterval: 100, pingTimeout: 100 });
    const started = Date.now();
    const { sid } = await openV3(s);
    const session = engineSession(s, sid)!;
    const reason = await within(
      new Promise((resolve) => session.once('close', resolve)),
      5000,
      'ping timeout',
    );
    expect(reason).toBe('ping timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

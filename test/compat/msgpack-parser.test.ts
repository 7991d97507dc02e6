// Issue 13, part 2: the `parser` option with socket.io-msgpack-parser clients, over WebSocket,
// polling and polling-then-upgrade, each scenario also run against socket.io 4.8 and compared.
import * as msgpackParser from 'socket.io-msgpack-parser';
import * as socketIoParser from 'socket.io-parser';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type ServerOptions } from '../../src';
import { Connection } from '../../src/server/connection';
import {
  closeAllPairs,
  IMPLEMENTATIONS,
  next,
  onCleanup,
  start,
  within,
  type Implementation,
  type Started,
} from './pair';

afterEach(closeAllPairs);

const TRANSPORTS = [['websocket'], ['polling'], ['polling', 'websocket']] as const;
type Transports = (typeof TRANSPORTS)[number];

function client(s: Started, nsp: string, transports: Transports, extra: object = {}): ClientSocket {
  const c = connectClient(s.url + nsp, {
    transports: [...transports],
    forceNew: true,
    reconnection: false,
    parser: msgpackParser,
    ...extra,
  });
  onCleanup(() => c.disconnect());
  return c;
}

async function connected(c: ClientSocket): Promise<void> {
  if (!c.connected) await next(c, 'connect');
}

/** Server setup shared by both implementations. */
function setup(s: Started): void {
  s.io.on('connection', (socket) => {
    socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
    socket.on('join', (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
    socket.on('shout', (room: string, payload: unknown) => {
      socket.to(room).emit('shouted', payload, Buffer.from([7, 8]));
    });
    socket.emit('welcome', { bin: Buffer.from([1, 2, 3]), n: 1 });
  });
  s.io.of('/admin').use((socket, next) => {
    if (socket.handshake.auth.token === 'ok') next();
    else next(Object.assign(new Error('not allowed'), { data: { code: 42 } }));
  });
  s.io.of('/admin').on('connection', (socket) => socket.emit('admin', socket.nsp.name));
}

/** What the clients of one scenario saw, in a form both implementations can be compared on. */
async function scenario(
  impl: Implementation,
  transports: Transports,
  parser: ServerOptions['parser'] = msgpackParser,
): Promise<unknown[]> {
  const s = await start(impl, { parser });
  setup(s);
  const seen: unknown[] = [];
  const a = client(s, '/', transports, { parser });
  const welcome = next(a, 'welcome');
  await connected(a);
  seen.push(['welcome', ...(await welcome)]);
  seen.push([
    'ack',
    await within(a.emitWithAck('echo', { b: Buffer.from([4, 5]), s: 'é' }), 5000, 'ack'),
  ]);
  const b = client(s, '/', transports, { parser });
  const c = client(s, '/', transports, { parser });
  await Promise.all([connected(b), connected(c)]);
  await within(b.emitWithAck('join', 'room'), 5000, 'join');
  await within(c.emitWithAck('join', 'room'), 5000, 'join');
  const shoutedB = next(b, 'shouted');
  const shoutedC = next(c, 'shouted');
  a.emit('shout', 'room', { hi: Buffer.from([9]) });
  seen.push(['shouted', await shoutedB, await shoutedC]);
  const admin = client(s, '/admin', transports, { parser, auth: { token: 'ok' } });
  seen.push(['admin', ...(await next(admin, 'admin'))]);
  const refused = client(s, '/admin', transports, { parser, auth: { token: 'no' } });
  const [err] = (await next(refused, 'connect_error')) as [Error & { data?: unknown }];
  seen.push(['connect_error', err.message, err.data]);
  if (transports.length === 2) {
    if (a.io.engine.transport.name !== 'websocket') await next(a.io.engine, 'upgrade');
    seen.push(['upgraded', a.io.engine.transport.name]);
    seen.push([
      'ack after upgrade',
      await within(a.emitWithAck('echo', [Buffer.from([6])]), 5000, 'ack'),
    ]);
  }
  return seen;
}

describe.each(TRANSPORTS)('socket.io-msgpack-parser clients over %s', (...transports) => {
  const t = transports as unknown as Transports;

  it('events, acks, binary, rooms, broadcasts, namespaces and connect_error, as with socket.io', async () => {
    const wiregate = await scenario('wiregate', t);
    await closeAllPairs();
    const reference = await scenario('socket.io', t);
    expect(wiregate).toEqual(reference);
    expect(wiregate.slice(0, 5)).toEqual([
      ['welcome', { bin: Buffer.from([1, 2, 3]), n: 1 }],
      ['ack', { b: Buffer.from([4, 5]), s: 'é' }],
      [
        'shouted',
        [{ hi: Buffer.from([9]) }, Buffer.from([7, 8])],
        [{ hi: Buffer.from([9]) }, Buffer.from([7, 8])],
      ],
      ['admin', '/admin'],
      ['connect_error', 'not allowed', { code: 42 }],
    ]);
  });
});

describe('socket.io-parser itself as the custom parser', () => {
  it.each(TRANSPORTS)('over %s: the same observations as socket.io', async (...transports) => {
    const t = transports as unknown as Transports;
    const wiregate = await scenario('wiregate', t, socketIoParser);
    await closeAllPairs();
    const reference = await scenario('socket.io', t, socketIoParser);
    expect(wiregate).toEqual(reference);
    expect(wiregate[1]).toEqual(['ack', { b: Buffer.from([4, 5]), s: 'é' }]);
  });
});

describe('the encoder', () => {
  it.each(IMPLEMENTATIONS)(
    "%s: io.encoder is the parser's Encoder, and a broadcast is encoded once for all recipients",
    async (impl) => {
      const s = await start(impl, { parser: msgpackParser });
      s.io.on('connection', (socket) => void socket.join('room'));
      const clients = [0, 1, 2].map(() => client(s, '/', ['websocket']));
      await Promise.all(clients.map(connected));
      expect(s.io.encoder).toBeInstanceOf(msgpackParser.Encoder);
      const encode = jest.spyOn(s.io.encoder, 'encode');
      const received = Promise.all(clients.map((c) => next(c, 'news')));
      s.io.to('room').emit('news', Buffer.from([1]), 'x');
      expect(await received).toEqual([0, 1, 2].map(() => [Buffer.from([1]), 'x']));
      expect(encode).toHaveBeenCalledTimes(1);
      s.io.emit('all', 1);
      expect(encode).toHaveBeenCalledTimes(2);
    },
  );

  it('a socket.io-adapter based adapter broadcasts through io.encoder too', async () => {
    const { Adapter } = await import('socket.io-adapter');
    const s = await start('wiregate', { parser: msgpackParser });
    s.io.adapter(Adapter as never);
    const clients = [0, 1].map(() => client(s, '/', ['polling']));
    await Promise.all(clients.map(connected));
    const encode = jest.spyOn(s.io.encoder, 'encode');
    const received = Promise.all(clients.map((c) => next(c, 'news')));
    s.io.emit('news', Buffer.from([3, 4]));
    expect(await received).toEqual([[Buffer.from([3, 4])], [Buffer.from([3, 4])]]);
    expect(encode).toHaveBeenCalledTimes(1);
  });

  it('without the option: the default codec, the plain connection class, io.encoder is not a custom one', async () => {
    const s = await start('wiregate');
    const connection = new Promise<unknown>((resolve) =>
      s.io.on('connection', (socket) => resolve(socket.client)),
    );
    const c = connectClient(s.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    onCleanup(() => c.disconnect());
    const conn = await within(connection, 5000, 'connection');
    expect(Object.getPrototypeOf(conn)).toBe(Connection.prototype);
    expect(s.io.encoder).not.toBeInstanceOf(msgpackParser.Encoder);
    expect(s.io.encoder.encode({ type: 2, nsp: '/', data: ['a'] })).toEqual(['2["a"]']);
  });

  it('the parser option takes parser modules as typed by their packages', () => {
    // Compile-time: both modules fit `ServerOptions['parser']`.
    const options: ServerOptions[] = [{ parser: msgpackParser }, { parser: socketIoParser }];
    for (const opts of options) {
      const io = new Server(opts);
      expect(typeof io.encoder.encode).toBe('function');
      void io.close();
    }
  });
});

describe('decode failures close that one connection, with a warning', () => {
  /** A client with the default parser on a msgpack server: its text frames are not msgpack. */
  it.each(IMPLEMENTATIONS)(
    '%s: a client with another parser is disconnected; other clients stay',
    async (impl) => {
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const s = await start(impl, { parser: msgpackParser });
        s.io.on('connection', (socket) =>
          socket.on('echo', (v: unknown, ack: (x: unknown) => void) => ack(v)),
        );
        const good = client(s, '/', ['websocket']);
        await connected(good);
        const wrong = connectClient(s.url, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
        });
        onCleanup(() => wrong.disconnect());
        const seen = await within(
          new Promise<unknown[]>((resolve) => {
            for (const ev of ['connect', 'connect_error', 'disconnect'])
              wrong.once(ev, (arg: unknown) =>
                resolve([ev, arg instanceof Error ? arg.message : arg]),
              );
          }),
          5000,
          'the wrong client to hear of it',
        );
        // What socket.io 4.8 does too: the connection is closed, never connected.
        expect(seen).toEqual(['disconnect', 'transport close']);
        expect(await within(good.emitWithAck('echo', 'still here'), 5000, 'ack')).toBe(
          'still here',
        );
        // The warning is written before the connection closes, so it is there by now.
        if (impl === 'wiregate') {
          expect(warn).toHaveBeenCalledTimes(1);
          expect(warn).toHaveBeenCalledWith(
            expect.stringMatching(
              /^connection closed: the custom parser could not decode a packet: /,
            ),
            expect.objectContaining({ type: 'WiregateParserError' }),
          );
        }
      } finally {
        warn.mockRestore();
      }
    },
  );

  it('a Decoder that emits garbage, or throws a non-Error, closes only that connection', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let mode: 'garbage' | 'throw' | 'ok' = 'ok';
    class Decoder extends msgpackParser.Decoder {
      override add(obj: unknown): void {
        if (mode === 'garbage')
          return void this.emit('decoded', { type: 2, nsp: '/', data: 'not an array' });
        if (mode === 'throw') throw 'boom';
        super.add(obj);
      }
    }
    try {
      const s = await start('wiregate', { parser: { Encoder: msgpackParser.Encoder, Decoder } });
      const closes: string[] = [];
      s.io.on('connection', (socket) => {
        socket.on('disconnect', (reason) => closes.push(reason));
        socket.on('echo', (v: unknown, ack: (x: unknown) => void) => ack(v));
      });
      for (const m of ['garbage', 'throw'] as const) {
        mode = 'ok';
        const c = client(s, '/', ['websocket']);
        await connected(c);
        mode = m;
        const gone = next(c, 'disconnect');
        c.emit('echo', 1);
        expect((await gone)[0]).toBe('transport close');
      }
      mode = 'ok';
      const survivor = client(s, '/', ['websocket']);
      await connected(survivor);
      expect(await within(survivor.emitWithAck('echo', 2), 5000, 'ack')).toBe(2);
      expect(closes).toHaveLength(2);
      // Two failures within a second: the first is written, the second counted for the next one.
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toBe(
        'connection closed: the custom parser decoded an invalid packet: invalid payload',
      );
    } finally {
      warn.mockRestore();
    }
  });
});

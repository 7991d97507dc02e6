// Byte for byte: what wiregate/redis publishes for each operation, and how it answers each
// request, next to what @socket.io/redis-adapter 8.3 publishes and answers, both given recording
// fake Redis clients (no Redis needed). Random ids (request ids) are the only thing normalised.
import {
  RedisAdapter as SocketIoRedisAdapter,
  createShardedAdapter as createSocketIoSharded,
} from '@socket.io/redis-adapter';
import * as notepack from 'notepack.io';
import { Encoder } from 'socket.io-parser';
import { createAdapter, createShardedAdapter, type RedisClient } from '../../src/redis';
import type { AdapterNamespace, BroadcastOptions } from '../../src/server';

type Published = [channel: string, message: Buffer | string];

/** Records publishes; answers PUBSUB NUMSUB/SHARDNUMSUB with `servers`; subscribes nothing. */
class FakeRedis {
  readonly published: Published[] = [];
  servers = 2;
  publish(channel: string, message: Buffer | string): Promise<number> {
    this.published.push([channel, message]);
    return Promise.resolve(1);
  }
  spublish(channel: string, message: Buffer | string): Promise<number> {
    return this.publish(channel, message);
  }
  // ioredis, as wiregate calls it.
  call(_command: string, _sub: string, channel: string): Promise<[string, number]> {
    return Promise.resolve([channel, this.servers]);
  }
  // ioredis, as @socket.io/redis-adapter calls it.
  send_command(
    _command: string,
    args: string[],
    callback: (err: null, reply: [string, number]) => void,
  ): void {
    callback(null, [args[1], this.servers]);
  }
  subscribe(): Promise<void> {
    return Promise.resolve();
  }
  psubscribe = this.subscribe;
  ssubscribe = this.subscribe;
  unsubscribe = this.subscribe;
  punsubscribe = this.subscribe;
  sunsubscribe = this.subscribe;
  on(): this {
    return this;
  }
  off(): this {
    return this;
  }
}

const KEY = 'wire';

function socketIoNamespace() {
  const ids = { n: 0 };
  return {
    name: '/',
    sockets: new Map(),
    server: { encoder: new Encoder(), opts: {} },
    get _ids() {
      return ids.n;
    },
    set _ids(v: number) {
      ids.n = v;
    },
    _onServerSideEmit(args: unknown[]) {
      const ack = args.at(-1);
      if (typeof ack === 'function') ack('pong');
    },
  };
}

function wiregateNamespace(): AdapterNamespace {
  let ackId = 0;
  return {
    name: '/',
    sockets: new Map(),
    nextAckId: () => ackId++,
    receiveServerSideEmit(args) {
      const ack = args.at(-1);
      if (typeof ack === 'function') ack('pong');
    },
  };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A published message with its random request id replaced (JSON or MessagePack alike). */
function normalised([channel, message]: Published): unknown {
  const decoded = typeof message === 'string' ? JSON.parse(message) : notepack.decode(message);
  // Cluster messages keep the request id in `data`; classic requests at the top.
  const inner = (decoded as { data?: unknown }).data;
  const body =
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : decoded;
  if (body && typeof body === 'object' && 'requestId' in body) body.requestId = 'ID';
  return [channel, typeof message === 'string' ? 'json' : 'msgpack', decoded];
}

const noop = () => undefined;
const opts = (rooms: string[], except: string[] = [], flags = {}): BroadcastOptions => ({
  rooms: new Set(rooms),
  except: new Set(except),
  flags,
});

describe('classic wire format, next to @socket.io/redis-adapter 8.3', () => {
  let sio: { pub: FakeRedis; adapter: SocketIoRedisAdapter };
  let wg: { pub: FakeRedis; adapter: ReturnType<typeof build> };

  function build(pub: FakeRedis, sub: FakeRedis) {
    const Adapter = createAdapter(pub as unknown as RedisClient, sub as unknown as RedisClient, {
      key: KEY,
      requestsTimeout: 200,
    });
    return new Adapter(wiregateNamespace());
  }

  beforeEach(async () => {
    const sioPub = new FakeRedis();
    sio = {
      pub: sioPub,
      adapter: new SocketIoRedisAdapter(socketIoNamespace() as never, sioPub, new FakeRedis(), {
        key: KEY,
      }),
    };
    const wgPub = new FakeRedis();
    wg = { pub: wgPub, adapter: build(wgPub, new FakeRedis()) };
    await wg.adapter.init();
    // One uid for both, so that messages carrying it can be compared byte for byte.
    (wg.adapter as { uid: string }).uid = sio.adapter.uid;
  });
  afterEach(() => {
    sio.adapter.close();
    wg.adapter.close();
  });

  it.each([
    ['to everyone, with binary', [], [], {}],
    [
      'to one room (its own channel), except a room, with flags',
      ['r'],
      ['x'],
      { volatile: true, compress: false },
    ],
    ['to two rooms', ['r', 's'], [], {}],
  ])('publishes a broadcast %s identically', (_what, rooms, except, flags) => {
    const data = ['ev', 1, { a: Buffer.from([1, 2]) }, 'é'];
    sio.adapter.broadcast({ type: 2, data } as never, opts(rooms, except, flags) as never);
    wg.adapter.broadcast({ type: 2, nsp: '/', data }, opts(rooms, except, flags));
    expect(wg.pub.published).toHaveLength(1);
    const [[sioChannel, sioBytes]] = sio.pub.published;
    const [[wgChannel, wgBytes]] = wg.pub.published;
    expect(wgChannel).toBe(sioChannel);
    expect(Buffer.from(wgBytes).equals(Buffer.from(sioBytes))).toBe(true);
  });

  it('publishes socketsJoin, socketsLeave and disconnectSockets requests identically, then its "applied?" request', async () => {
    sio.adapter.addSockets(opts(['r'], ['x']) as never, ['a', 'b']);
    sio.adapter.delSockets(opts(['r']) as never, ['a']);
    sio.adapter.disconnectSockets(opts([], ['x']) as never, true);
    const done = [
      wg.adapter.addSockets(opts(['r'], ['x']), ['a', 'b']),
      wg.adapter.delSockets(opts(['r']), ['a']),
      wg.adapter.disconnectSockets(opts([], ['x']), true),
    ].map((p) => p.catch((e: Error) => e));
    await flush();
    expect(wg.pub.published.slice(0, 3)).toEqual(sio.pub.published);
    // Then, socket.io's SOCKETS request for a room nobody is in, which every server answers.
    expect(wg.pub.published.slice(3).map(normalised)).toEqual(
      Array(3).fill([
        `${KEY}-request#/#`,
        'json',
        { uid: sio.adapter.uid, requestId: 'ID', type: 0, rooms: ['\u0000wiregate:barrier'] },
      ]),
    );
    // Nobody answers the fakes: they time out.
    expect((await Promise.all(done)).map((e: unknown) => (e as { code?: string }).code)).toEqual(
      Array(3).fill('WG_ERR_ACK_TIMEOUT'),
    );
  });

  it('publishes fetchSockets, serverSideEmit (with and without ack) and broadcasts with acks identically', async () => {
    void sio.adapter.fetchSockets(opts(['r'], ['x']) as never).catch(noop);
    sio.adapter.serverSideEmit(['note', 1, { a: [2] }]);
    sio.adapter.serverSideEmit(['ask', 3, noop]);
    sio.adapter.broadcastWithAck(
      { type: 2, data: ['q', Buffer.from([9])] } as never,
      opts(['r'], [], { timeout: 50 }) as never,
      noop,
      noop,
    );
    await flush();
    void wg.adapter.fetchSockets(opts(['r'], ['x'])).catch(noop);
    await flush();
    wg.adapter.serverSideEmit(['note', 1, { a: [2] }]);
    wg.adapter.serverSideEmit(['ask', 3, noop]);
    await flush();
    wg.adapter.broadcastWithAck(
      { type: 2, nsp: '/', data: ['q', Buffer.from([9])] },
      opts(['r'], [], { timeout: 50 }),
      noop,
      noop,
    );
    await flush();
    // socket.io publishes fetchSockets after counting the servers: compare regardless of order.
    const sorted = (published: Published[]) =>
      published
        .map(normalised)
        .map((m) => JSON.stringify(m))
        .sort();
    expect(sorted(wg.pub.published)).toEqual(sorted(sio.pub.published));
    expect(wg.pub.published).toHaveLength(4);
    // Without random ids, the same bytes.
    const note = (published: Published[]) =>
      published.find(([, m]) => String(m).includes('"note"'));
    expect(note(wg.pub.published)).toEqual(note(sio.pub.published));
  });

  it.each([
    [
      'fetchSockets',
      { uid: 'other', requestId: 'r1', type: 5, opts: { rooms: ['r'], except: [] } },
    ],
    ['allSockets', { uid: 'other', requestId: 'r2', type: 0, rooms: [] }],
    ['allRooms', { uid: 'other', requestId: 'r3', type: 1 }],
    ['serverSideEmit with an ack', { uid: 'other', requestId: 'r4', type: 6, data: ['ping', 1] }],
    [
      'a per-socket remoteJoin of older versions',
      { uid: 'other', requestId: 'r6', type: 2, sid: 'nobody', room: 'x' },
    ],
  ])('answers %s identically', async (_what, request) => {
    const bytes = Buffer.from(JSON.stringify(request));
    void (sio.adapter as unknown as { onrequest(c: string, m: Buffer): Promise<void> }).onrequest(
      `${KEY}-request#/#`,
      bytes,
    );
    wg.adapter.onRedisMessage(`${KEY}-request#/#`, bytes);
    await flush();
    expect(wg.pub.published).toEqual(sio.pub.published);
  });

  it('answers a broadcast with acks identically (recipient count as JSON)', async () => {
    const request = notepack.encode({
      uid: 'other',
      requestId: 'r5',
      type: 7,
      packet: { type: 2, data: ['q'], nsp: '/' },
      opts: { rooms: [], except: [], flags: { timeout: 50 } },
    });
    void (sio.adapter as unknown as { onrequest(c: string, m: Buffer): Promise<void> }).onrequest(
      `${KEY}-request#/#`,
      request,
    );
    wg.adapter.onRedisMessage(`${KEY}-request#/#`, request);
    await flush();
    expect(sio.pub.published).toEqual([
      [`${KEY}-response#/#`, '{"type":8,"requestId":"r5","clientCount":0}'],
    ]);
    expect(wg.pub.published).toEqual(sio.pub.published);
  });

  it('counts the servers as the subscribers of the request channel', async () => {
    wg.pub.servers = 3;
    sio.pub.servers = 3;
    expect(await wg.adapter.serverCount()).toBe(await sio.adapter.serverCount());
  });
});

describe('sharded wire format, next to @socket.io/redis-adapter 8.3', () => {
  it('publishes broadcasts, requests and answers identically', async () => {
    const [sioPub, wgPub] = [new FakeRedis(), new FakeRedis()];
    const sio = createSocketIoSharded(sioPub, new FakeRedis(), {
      channelPrefix: KEY,
      subscriptionMode: 'dynamic',
    })(socketIoNamespace() as never) as unknown as {
      uid: string;
      broadcast(p: unknown, o: unknown): Promise<void>;
      addSockets(o: unknown, r: string[]): Promise<void>;
      serverSideEmit(p: unknown[]): Promise<void>;
      fetchSockets(o: unknown): Promise<unknown>;
      onMessage(m: unknown): void;
      close(): Promise<void>;
    };
    const Sharded = createShardedAdapter(
      wgPub as unknown as RedisClient,
      new FakeRedis() as unknown as RedisClient,
      {
        channelPrefix: KEY,
        requestsTimeout: 200,
      },
    );
    const wg = new Sharded(wiregateNamespace());
    await wg.init();
    (wg as { uid: string }).uid = sio.uid;

    const data = ['ev', 1, { a: Buffer.from([1]) }];
    void sio.broadcast({ type: 2, data }, opts([]));
    void sio.broadcast({ type: 2, data: ['ev'] }, opts(['public-room'], ['x'], { volatile: true }));
    void sio.broadcast({ type: 2, data: ['ev'] }, opts(['a-socket-id-20-chars'], []));
    void sio.addSockets(opts(['r']), ['j']);
    void sio.serverSideEmit(['note', 1]);
    wg.broadcast({ type: 2, nsp: '/', data }, opts([]));
    wg.broadcast(
      { type: 2, nsp: '/', data: ['ev'] },
      opts(['public-room'], ['x'], { volatile: true }),
    );
    wg.broadcast({ type: 2, nsp: '/', data: ['ev'] }, opts(['a-socket-id-20-chars'], []));
    const joined = wg.addSockets(opts(['r']), ['j']).catch(noop);
    await flush();
    wg.serverSideEmit(['note', 1]);
    await flush();
    // wiregate's "applied?" request (a fetchSockets of an empty room) follows its join.
    const barrier = wgPub.published.splice(4, 1).map(normalised);
    expect(wgPub.published).toEqual(sioPub.published);
    expect(barrier).toEqual([
      [
        `${KEY}#/#`,
        'json',
        {
          type: 7,
          data: {
            opts: { rooms: ['\u0000wiregate:barrier'], except: [], flags: {} },
            requestId: 'ID',
          },
          uid: sio.uid,
          nsp: '/',
        },
      ],
    ]);

    // Answers to a fetchSockets, from either.
    sioPub.published.length = wgPub.published.length = 0;
    const request = {
      type: 7,
      data: { opts: { rooms: [], except: [], flags: {} }, requestId: 'q1' },
      uid: 'other',
      nsp: '/',
    };
    sio.onMessage(request);
    wg.onMessage(request);
    await flush();
    expect(wgPub.published).toEqual(sioPub.published);
    expect(sioPub.published).toEqual([
      [
        `${KEY}#/#other#`,
        `{"type":8,"data":{"requestId":"q1","sockets":[]},"uid":"${sio.uid}","nsp":"/"}`,
      ],
    ]);
    await joined;
    await sio.close();
    wg.close();
  });
});

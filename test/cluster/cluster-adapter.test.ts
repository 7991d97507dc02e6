// ClusterAdapter's protocol without Redis: servers joined by an in-memory bus that carries the
// encoded bytes, time under jest's fake timers, so heartbeats and timeouts are checked exactly.
// A socket.io-adapter ClusterAdapterWithHeartbeat joins the same bus: both speak one format.
import { encode } from '@msgpack/msgpack';
import { ClusterAdapterWithHeartbeat as SocketIoClusterAdapter } from 'socket.io-adapter';
import { Encoder } from 'socket.io-parser';
import {
  ClusterAdapterWithHeartbeat,
  decodeClusterMessage,
  encodeClusterMessage,
  MessageType,
  type ClusterAdapterWithHeartbeatOptions,
  type ClusterMessage,
} from '../../src/redis';
import type { AdapterNamespace } from '../../src/server';

interface Member {
  uid: string;
  receive(bytes: Buffer): void;
}

/** Delivers every publish to each member (asynchronously, like Redis); `deaf` members hear nothing. */
class Bus {
  readonly members = new Set<Member>();
  readonly deaf = new Set<string>();
  readonly mute = new Set<string>();

  deliver(from: string, message: Buffer | string, to?: string): Promise<void> {
    if (this.mute.has(from)) return Promise.resolve();
    const bytes = Buffer.from(message);
    for (const member of this.members) {
      if (this.deaf.has(member.uid) || (to !== undefined && member.uid !== to)) continue;
      void Promise.resolve().then(() => member.receive(bytes));
    }
    return Promise.resolve();
  }
}

class BusAdapter extends ClusterAdapterWithHeartbeat {
  constructor(
    nsp: AdapterNamespace,
    private readonly bus: Bus,
    opts: ClusterAdapterWithHeartbeatOptions,
  ) {
    super(nsp, opts);
    bus.members.add({
      uid: this.uid,
      receive: (bytes) => this.onMessage(decodeClusterMessage(bytes)),
    });
  }
  protected doPublish(message: ClusterMessage): Promise<unknown> {
    return this.bus.deliver(this.uid, encodeClusterMessage(message));
  }
  protected doPublishResponse(uid: string, response: ClusterMessage): Promise<unknown> {
    return this.bus.deliver(this.uid, encodeClusterMessage(response), uid);
  }
}

/** socket.io-adapter's own class on the same bus, as @socket.io/redis-adapter's sharded adapter encodes. */
class SocketIoBusAdapter extends SocketIoClusterAdapter {
  constructor(
    nsp: never,
    private readonly bus: Bus,
  ) {
    super(nsp, opts);
    bus.members.add({
      uid: this.uid,
      receive: (bytes) => this.onMessage(decodeClusterMessage(bytes) as never),
    });
  }
  doPublish(message: unknown): Promise<string> {
    return this.bus
      .deliver(this.uid, encodeClusterMessage(message as ClusterMessage))
      .then(() => '');
  }
  doPublishResponse(uid: string, response: unknown): Promise<void> {
    return this.bus.deliver(this.uid, encodeClusterMessage(response as ClusterMessage), uid);
  }
}

function namespace(): AdapterNamespace & { received: unknown[][] } {
  const received: unknown[][] = [];
  return {
    name: '/',
    sockets: new Map(),
    received,
    receiveServerSideEmit: (args) => received.push(args),
  };
}

/** What socket.io-adapter needs of a socket.io namespace. */
function socketIoNamespace() {
  const received: unknown[][] = [];
  return {
    name: '/',
    sockets: new Map(),
    received,
    server: { encoder: new Encoder(), opts: {} },
    _onServerSideEmit: (args: unknown[]): void => void received.push(args),
  };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const opts = { requestsTimeout: 1000, heartbeatInterval: 1000, heartbeatTimeout: 3000 };

describe('ClusterAdapter protocol (in-memory bus)', () => {
  let bus: Bus;
  let adapters: BusAdapter[];

  beforeEach(async () => {
    jest.useFakeTimers();
    bus = new Bus();
    adapters = [0, 1, 2].map(() => new BusAdapter(namespace(), bus, opts));
    for (const adapter of adapters) await adapter.init();
    await flush();
  });
  afterEach(async () => {
    for (const adapter of adapters)
      await Promise.race([adapter.close(), jest.advanceTimersByTimeAsync(opts.requestsTimeout)]);
    jest.useRealTimers();
  });

  it('learns the other servers from the initial heartbeats', async () => {
    expect(await Promise.all(adapters.map((a) => a.serverCount()))).toEqual([3, 3, 3]);
  });

  it('keeps silent-but-publishing servers alive through heartbeats', async () => {
    await jest.advanceTimersByTimeAsync(10 * opts.heartbeatTimeout);
    expect(await adapters[0].serverCount()).toBe(3);
  });

  it('drops a server that went silent after heartbeatTimeout, not before', async () => {
    bus.mute.add(adapters[2].uid);
    await jest.advanceTimersByTimeAsync(opts.heartbeatTimeout - opts.heartbeatInterval);
    expect(await adapters[0].serverCount()).toBe(3);
    await jest.advanceTimersByTimeAsync(2 * opts.heartbeatInterval);
    expect(await adapters[0].serverCount()).toBe(2);
  });

  it('times out a request a live server does not answer, naming the operation and the count', async () => {
    bus.deaf.add(adapters[2].uid);
    const result = adapters[0]
      .fetchSockets({ rooms: new Set() })
      .catch((e: Error & { code?: string }) => e);
    await jest.advanceTimersByTimeAsync(opts.requestsTimeout);
    const err = (await result) as Error & { code?: string };
    expect(err.code).toBe('WG_ERR_ACK_TIMEOUT');
    expect(err.message).toBe(
      'fetchSockets: 1 of 2 other server(s) did not answer within 1000 ms (requestsTimeout)',
    );
  });

  it('stops waiting for a server that dies during a request', async () => {
    const slow = new BusAdapter(namespace(), bus, { ...opts, requestsTimeout: 60_000 });
    adapters.push(slow);
    await slow.init();
    await flush();
    bus.deaf.add(adapters[2].uid);
    bus.mute.add(adapters[2].uid);
    const result = slow.fetchSockets({ rooms: new Set() });
    await jest.advanceTimersByTimeAsync(opts.heartbeatTimeout + opts.heartbeatInterval);
    await expect(result).resolves.toEqual([]);
  });

  it('forgets a server that closes, and a late message of it does not revive it', async () => {
    const gone = adapters[2];
    const lateMessage = decodeClusterMessage(
      Buffer.from(JSON.stringify({ uid: gone.uid, nsp: '/', type: MessageType.HEARTBEAT })),
    );
    await gone.close();
    await flush();
    expect(await adapters[0].serverCount()).toBe(2);
    adapters[0].onMessage(lateMessage);
    expect(await adapters[0].serverCount()).toBe(2);
  });

  it('rejects requests after close with WG_ERR_SERVER_NOT_RUNNING', async () => {
    await adapters[0].close();
    await expect(adapters[0].fetchSockets({ rooms: new Set() })).rejects.toMatchObject({
      code: 'WG_ERR_SERVER_NOT_RUNNING',
    });
  });

  it('ignores garbage, unknown types, other namespaces and emitters as servers', async () => {
    const errors: Error[] = [];
    adapters[0].on('error', (err: Error) => errors.push(err));
    const junk: unknown[] = [
      null,
      'hello',
      { uid: 'x', nsp: '/', type: 99 },
      { uid: 'x', nsp: '/', type: MessageType.BROADCAST, data: 'nope' },
      { uid: 'y', nsp: '/other', type: MessageType.HEARTBEAT },
      {
        uid: 'emitter',
        nsp: '/',
        type: MessageType.SOCKETS_JOIN,
        data: { opts: { rooms: [] }, rooms: ['r'] },
      },
      {
        uid: 'x',
        nsp: '/',
        type: MessageType.FETCH_SOCKETS_RESPONSE,
        data: { requestId: 'nope', sockets: 'x' },
      },
    ];
    for (const value of junk) adapters[0].onMessage(value);
    for (const bytes of [
      encode([1, 'x', 2, null]),
      encode('hello'),
      Buffer.from([0xc1]),
      Buffer.from('{oops'),
    ]) {
      adapters[0].onMessage(decodeClusterMessage(Buffer.from(bytes)));
    }
    await flush();
    // 'x' sent well-formed messages: it counts; 'y' (another namespace) and the emitter do not.
    expect(await adapters[0].serverCount()).toBe(4);
    expect(errors).toEqual([]);
  });

  it('delivers serverSideEmit to the others only, binary as Buffers', async () => {
    const nsps = adapters.map((a) => a.nsp as ReturnType<typeof namespace>);
    adapters[0].serverSideEmit(['ev', { bin: new Uint8Array([1, 2]) }, undefined, () => 1, 'end']);
    await flush();
    expect(nsps[0].received).toEqual([]);
    for (const nsp of nsps.slice(1)) {
      expect(nsp.received).toEqual([['ev', { bin: Buffer.from([1, 2]) }, null, null, 'end']]);
      expect(Buffer.isBuffer((nsp.received[0][1] as { bin: unknown }).bin)).toBe(true);
    }
  });

  it('reports a serverSideEmit callback that throws instead of leaving an unhandled rejection', async () => {
    const errors: Error[] = [];
    adapters[0].on('error', (err: Error) => errors.push(err));
    const nsps = adapters.map((a) => a.nsp as ReturnType<typeof namespace>);
    adapters[0].serverSideEmit([
      'ev',
      () => {
        throw new Error('user callback');
      },
    ]);
    await flush();
    for (const nsp of nsps.slice(1)) (nsp.received[0].at(-1) as (r: unknown) => void)('ok');
    await flush();
    expect(errors.map((e) => e.message)).toEqual(['user callback']);
  });

  it('reports socket.data that cannot be serialised; the asker times out', async () => {
    const errors: Error[] = [];
    adapters[1].on('error', (err: Error) => errors.push(err));
    const bad = {
      id: 'bad',
      connected: true,
      toDetails: () => ({
        id: 'bad',
        handshake: {},
        rooms: ['bad'],
        data: {
          toJSON: () => {
            throw new Error('no JSON for you');
          },
        },
      }),
    };
    (adapters[1].nsp.sockets as Map<string, unknown>).set('bad', bad);
    bus.deaf.add(adapters[2].uid);
    const result = adapters[0]
      .fetchSockets({ rooms: new Set() })
      .catch((e: Error & { code?: string }) => e);
    await flush();
    expect(errors.map((e) => e.message)).toEqual(['no JSON for you']);
    await jest.advanceTimersByTimeAsync(opts.requestsTimeout);
    expect(await result).toMatchObject({ code: 'WG_ERR_ACK_TIMEOUT' });
  });

  it("talks to socket.io-adapter's own ClusterAdapterWithHeartbeat over the same bytes", async () => {
    const sioNsp = socketIoNamespace();
    const sio = new SocketIoBusAdapter(sioNsp as never, bus);
    sio.init();
    await flush();
    expect(await adapters[0].serverCount()).toBe(4);
    expect(await sio.serverCount()).toBe(4);

    // wiregate → socket.io, with and without ack.
    sioNsp._onServerSideEmit = (args: unknown[]) => {
      sioNsp.received.push(args);
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ from: 'socket.io', bin: Buffer.from([7]) });
    };
    for (const a of adapters) {
      (a.nsp as ReturnType<typeof namespace>).receiveServerSideEmit = (args) => {
        const ack = args.at(-1);
        if (typeof ack === 'function') ack('wiregate');
      };
    }
    adapters[0].serverSideEmit(['note', Buffer.from([1])]);
    const replies = new Promise<unknown[]>((resolve, reject) =>
      adapters[0].serverSideEmit([
        'ask',
        (err: Error | null, r: unknown[]) => (err ? reject(err) : resolve(r)),
      ]),
    );
    await flush();
    expect(sioNsp.received[0]).toEqual(['note', Buffer.from([1])]);
    expect(await replies).toEqual(
      expect.arrayContaining([
        'wiregate',
        'wiregate',
        { from: 'socket.io', bin: Buffer.from([7]) },
      ]),
    );

    // socket.io → wiregate, with ack: every wiregate server answers.
    const fromSocketIo = new Promise<unknown[]>(
      (resolve, reject) =>
        void sio.serverSideEmit([
          'ask',
          (err: Error | null, r: unknown[]) => (err ? reject(err) : resolve(r)),
        ]),
    );
    await flush();
    expect(await fromSocketIo).toEqual(['wiregate', 'wiregate', 'wiregate']);
    expect(
      await sio.fetchSockets({ rooms: new Set(), except: new Set(), flags: {} } as never),
    ).toEqual([]);
    expect(await adapters[0].fetchSockets({ rooms: new Set() })).toEqual([]);
    sio.close();
  });
});

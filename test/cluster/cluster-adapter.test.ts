// ClusterAdapter's protocol without Redis: servers joined by an in-memory bus, time under
// jest's fake timers, so heartbeats and timeouts are checked exactly (no Redis needed).
import { ClusterAdapter, type ClusterAdapterOptions } from '../../src/redis';
import { encodeMessage, MessageKind } from '../../src/cluster/messages';
import type { AdapterNamespace } from '../../src/server';

/** Delivers every publish to each member (asynchronously, like Redis); `deaf` members hear nothing. */
class Bus {
  readonly members = new Set<BusAdapter>();
  readonly deaf = new Set<BusAdapter>();
  readonly mute = new Set<BusAdapter>();

  deliver(from: BusAdapter, message: Buffer, to?: string): Promise<void> {
    if (this.mute.has(from)) return Promise.resolve();
    for (const member of this.members) {
      if (this.deaf.has(member) || (to !== undefined && member.uid !== to)) continue;
      void Promise.resolve().then(() => member.onMessage(message));
    }
    return Promise.resolve();
  }
}

class BusAdapter extends ClusterAdapter {
  constructor(
    nsp: AdapterNamespace,
    private readonly bus: Bus,
    opts: ClusterAdapterOptions,
  ) {
    super(nsp, opts);
    bus.members.add(this);
  }
  protected publish(message: Buffer): Promise<unknown> {
    return this.bus.deliver(this, message);
  }
  protected publishTo(uid: string, message: Buffer): Promise<unknown> {
    return this.bus.deliver(this, message, uid);
  }
}

function namespace(): AdapterNamespace & { received: unknown[][] } {
  const received: unknown[][] = [];
  return { name: '/', sockets: new Map(), received, receiveServerSideEmit: (args) => received.push(args) };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
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
    for (const adapter of adapters) await Promise.race([adapter.close(), jest.advanceTimersByTimeAsync(opts.requestsTimeout)]);
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
    bus.mute.add(adapters[2]);
    await jest.advanceTimersByTimeAsync(opts.heartbeatTimeout - opts.heartbeatInterval);
    expect(await adapters[0].serverCount()).toBe(3);
    await jest.advanceTimersByTimeAsync(2 * opts.heartbeatInterval);
    expect(await adapters[0].serverCount()).toBe(2);
  });

  it('times out a request a live server does not answer, naming the operation and the count', async () => {
    bus.deaf.add(adapters[2]);
    const result = adapters[0].fetchSockets({ rooms: new Set() }).catch((e: Error & { code?: string }) => e);
    await jest.advanceTimersByTimeAsync(opts.requestsTimeout);
    const err = (await result) as Error & { code?: string };
    expect(err.code).toBe('WG_ERR_ACK_TIMEOUT');
    expect(err.message).toBe('fetchSockets: 1 of 2 other server(s) did not answer within 1000 ms (requestsTimeout)');
  });

  it('stops waiting for a server that dies during a request', async () => {
    const slow = new BusAdapter(namespace(), bus, { ...opts, requestsTimeout: 60_000 });
    adapters.push(slow);
    await slow.init();
    await flush();
    bus.deaf.add(adapters[2]);
    bus.mute.add(adapters[2]);
    const result = slow.fetchSockets({ rooms: new Set() });
    await jest.advanceTimersByTimeAsync(opts.heartbeatTimeout + opts.heartbeatInterval);
    await expect(result).resolves.toEqual([]);
  });

  it('forgets a server that closes, and a late message of it does not revive it', async () => {
    const gone = adapters[2];
    const lateMessage = encodeMessage(gone.uid, MessageKind.HEARTBEAT, null);
    await gone.close();
    await flush();
    expect(await adapters[0].serverCount()).toBe(2);
    adapters[0].onMessage(lateMessage);
    expect(await adapters[0].serverCount()).toBe(2);
  });

  it('rejects requests after close with WG_ERR_SERVER_NOT_RUNNING', async () => {
    await adapters[0].close();
    await expect(adapters[0].fetchSockets({ rooms: new Set() })).rejects.toMatchObject({ code: 'WG_ERR_SERVER_NOT_RUNNING' });
  });

  it('ignores other format versions, unknown kinds and garbage', async () => {
    const { encode } = await import('@msgpack/msgpack');
    for (const bytes of [encode([2, 'x', MessageKind.HEARTBEAT, null]), encode([1, 'x', 99, null]), encode('hello'), Buffer.from([0xc1])]) {
      adapters[0].onMessage(bytes);
    }
    expect(await adapters[0].serverCount()).toBe(3);
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
    adapters[0].serverSideEmit(['ev', () => {
      throw new Error('user callback');
    }]);
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
      toDetails: () => ({ id: 'bad', handshake: {}, rooms: ['bad'], data: { toJSON: () => { throw new Error('no JSON for you'); } } }),
    };
    (adapters[1].nsp.sockets as Map<string, unknown>).set('bad', bad);
    bus.deaf.add(adapters[2]);
    const result = adapters[0].fetchSockets({ rooms: new Set() }).catch((e: Error & { code?: string }) => e);
    await flush();
    expect(errors.map((e) => e.message)).toEqual(['no JSON for you']);
    await jest.advanceTimersByTimeAsync(opts.requestsTimeout);
    expect(await result).toMatchObject({ code: 'WG_ERR_ACK_TIMEOUT' });
  });
});

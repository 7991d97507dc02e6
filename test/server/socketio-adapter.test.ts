// Adapters built on socket.io-adapter run on wiregate: its own in-memory `Adapter` class, passed
// as a class and as a factory function, drives broadcasts, acks and the utility methods through
// the socket.io internals it calls (io.encoder, socket.client.writeToEngine, socket.acks,
// nsp._ids, socket.notifyOutgoingListeners). The same scenario runs on socket.io 4.8 and the
// clients must see the same thing. Failing adapters are reported, never unhandled.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Adapter } from 'socket.io-adapter';
import { Server as SocketIoServer } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import type { AdapterConstructor, Server } from '../../src/server';
import {
  closeAll,
  connectSocket,
  defaultTransports,
  startServer,
  waitFor,
  waitForArgs,
} from '../support/harness';

afterEach(closeAll);

/** What the three clients of the scenario received, in order. */
type Observations = Record<'a' | 'b' | 'c', unknown[][]>;

/** The server-side calls the scenario makes; both socket.io and wiregate servers have them. */
interface ScenarioServer {
  to(room: string): { emit(ev: string, ...args: unknown[]): unknown };
  except(room: string): { emit(ev: string, ...args: unknown[]): unknown };
  emit(ev: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown[]> };
  in(room: string): {
    socketsJoin(room: string): unknown;
    fetchSockets(): Promise<{ id: string }[]>;
  };
}

/**
 * Three clients (a in r1, b in r1+r2, c alone): a room broadcast, an `except`, a binary
 * broadcast, a broadcast with acks, socketsJoin then a broadcast to the joined room.
 */
async function runScenario(
  io: ScenarioServer,
  url: string,
  joinRooms: (id: string, rooms: string[]) => void,
): Promise<{ seen: Observations; acks: unknown[]; fetched: number }> {
  const clients: Record<'a' | 'b' | 'c', ClientSocket> = {
    a: connectClient(url, { transports: defaultTransports(), forceNew: true }),
    b: connectClient(url, { transports: defaultTransports(), forceNew: true }),
    c: connectClient(url, { transports: defaultTransports(), forceNew: true }),
  };
  const seen: Observations = { a: [], b: [], c: [] };
  try {
    for (const [name, client] of Object.entries(clients) as ['a' | 'b' | 'c', ClientSocket][]) {
      client.onAny((...args: unknown[]) => {
        const last = args[args.length - 1];
        if (typeof last === 'function') (last as (reply: string) => void)(`reply-${name}`);
        seen[name].push(args.filter((arg) => typeof arg !== 'function'));
      });
    }
    await Promise.all(Object.values(clients).map((c) => waitFor(c, 'connect')));
    joinRooms(clients.a.id!, ['r1']);
    joinRooms(clients.b.id!, ['r1', 'r2']);
    io.to('r1').emit('room', 'r1');
    io.except('r2').emit('except', 'not r2');
    io.emit('binary', Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
    const acks = (await io.timeout(2000).emitWithAck('ask', 'q')).sort();
    await io.in('r2').socketsJoin('late');
    const fetched = (await io.in('late').fetchSockets()).length;
    io.to('late').emit('late', 'joined');
    await waitForArgs(clients.b, 'late');
    return { seen, acks, fetched };
  } finally {
    for (const client of Object.values(clients)) client.close();
  }
}

/** Buffers as received by the client (ArrayBuffer in browsers, Buffer in Node) compare by bytes. */
function normalise(observations: Observations): Observations {
  return JSON.parse(JSON.stringify(observations)) as Observations;
}

async function runOnSocketIo(): Promise<Awaited<ReturnType<typeof runScenario>>> {
  const httpServer = createServer();
  const io = new SocketIoServer(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  try {
    return await runScenario(io as unknown as ScenarioServer, url, (id, rooms) =>
      io.sockets.sockets.get(id)?.join(rooms),
    );
  } finally {
    await io.close();
  }
}

async function runOnWiregate(
  adapter: AdapterConstructor,
): Promise<Awaited<ReturnType<typeof runScenario>>> {
  const h = await startServer({ adapter });
  return runScenario(h.io as unknown as ScenarioServer, h.url, (id, rooms) => {
    void h.io.sockets.sockets.get(id)?.join(rooms);
  });
}

describe('adapters built on socket.io-adapter', () => {
  it("runs socket.io-adapter's own Adapter class: clients see what socket.io 4.8 sends them", async () => {
    const expected = await runOnSocketIo();
    const actual = await runOnWiregate(Adapter as unknown as AdapterConstructor);
    expect(normalise(actual.seen)).toEqual(normalise(expected.seen));
    expect(actual.acks).toEqual(expected.acks);
    expect(actual.fetched).toBe(expected.fetched);
    // The absolute expectations, so that a change on both sides cannot pass unnoticed.
    expect(actual.acks).toEqual(['reply-a', 'reply-b', 'reply-c']);
    expect(actual.fetched).toBe(1);
    expect(normalise(actual.seen).b.map((args) => args[0])).toEqual([
      'room',
      'binary',
      'ask',
      'late',
    ]);
    expect(normalise(actual.seen).c.map((args) => args[0])).toEqual(['except', 'binary', 'ask']);
  });

  it("takes a factory function, as the socket.io adapters' createAdapter() return (arrow functions too)", async () => {
    const built: string[] = [];
    const factory = (nsp: { name: string }) => {
      built.push(nsp.name);
      return new Adapter(nsp as never);
    };
    const h = await startServer({ adapter: factory as unknown as AdapterConstructor });
    h.io.of('/orders');
    expect(built).toEqual(['/', '/orders']);
    expect(h.io.of('/orders').adapter).toBeInstanceOf(Adapter);
    const [client] = await connectSocket(h, '/orders');
    const got = waitForArgs(client, 'hello');
    h.io.of('/orders').emit('hello', 'orders');
    expect(await got).toEqual(['orders']);
  });

  it('tells outgoing catch-all listeners of a broadcast written by the adapter', async () => {
    const h = await startServer({ adapter: Adapter as unknown as AdapterConstructor });
    const [client, socket] = await connectSocket(h);
    const outgoing: unknown[][] = [];
    socket.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
    const got = waitForArgs(client, 'news');
    h.io.emit('news', 1, 'two');
    expect(await got).toEqual([1, 'two']);
    expect(outgoing).toEqual([['news', 1, 'two']]);
  });

  it("shares one ack id counter between direct emits and the adapter's broadcasts", async () => {
    const h = await startServer({ adapter: Adapter as unknown as AdapterConstructor });
    const [client, socket] = await connectSocket(h);
    client.on('ask', (tag: string, ack: (reply: string) => void) => ack(`${tag}!`));
    const [direct, broadcast] = await Promise.all([
      socket.timeout(2000).emitWithAck('ask', 'direct'),
      h.io.timeout(2000).emitWithAck('ask', 'broadcast'),
    ]);
    expect(direct).toBe('direct!');
    expect(broadcast).toEqual(['broadcast!']);
  });
});

/** An adapter whose cross-server half fails, as one does when its backing service is gone. */
class FailingAdapter extends Adapter {
  override broadcast(): Promise<void> {
    return Promise.reject(new Error('publish failed: service unreachable'));
  }

  override addSockets(): Promise<void> {
    return Promise.reject(new Error('socketsJoin failed: service unreachable'));
  }

  override serverSideEmit(): Promise<void> {
    return Promise.reject(new Error('serverSideEmit failed: service unreachable'));
  }
}

describe('a failing adapter', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });

  /** Waits one macrotask turn past the rejection, so an unhandled one would have been reported. */
  const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve));

  it('reports asynchronous failures on adapter_error, with the namespace, and leaves nothing unhandled', async () => {
    const h = await startServer({ adapter: FailingAdapter as unknown as AdapterConstructor });
    const reported: { nsp: string; err: Error }[] = [];
    h.io.on('adapter_error', (event: { nsp: string; err: unknown }) =>
      reported.push({ nsp: event.nsp, err: event.err as Error }),
    );
    const [client] = await connectSocket(h);
    h.io.emit('lost');
    void h.io.socketsJoin('room');
    h.io.serverSideEmit('hello');
    await expect(h.io.in('x').socketsLeave('y')).resolves.toBeUndefined();
    await nextMacrotask();
    expect(reported.map((r) => [r.nsp, r.err.message])).toEqual([
      ['/', 'publish failed: service unreachable'],
      ['/', 'socketsJoin failed: service unreachable'],
      ['/', 'serverSideEmit failed: service unreachable'],
    ]);
    expect(unhandled).toEqual([]);
    // The connection is unaffected: a direct emit still arrives.
    const got = waitForArgs(client, 'direct');
    h.io.sockets.sockets.get(client.id!)!.emit('direct', 'ok');
    expect(await got).toEqual(['ok']);
  });

  it("rejects an awaited utility method with the adapter's error", async () => {
    const h = await startServer({ adapter: FailingAdapter as unknown as AdapterConstructor });
    h.io.on('adapter_error', () => undefined);
    await expect(h.io.socketsJoin('room')).rejects.toThrow('socketsJoin failed');
  });

  it('writes a process warning when nobody listens to adapter_error, at most one a second', async () => {
    const h = await startServer({ adapter: FailingAdapter as unknown as AdapterConstructor });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 5; i++) h.io.emit('lost', i);
      await nextMacrotask();
      const adapterWarnings = warn.mock.calls.filter(
        ([, options]) =>
          (options as { type?: string } | undefined)?.type === 'WiregateAdapterError',
      );
      expect(adapterWarnings).toHaveLength(1);
      expect(adapterWarnings[0]![0]).toBe(
        'adapter of namespace "/" failed: publish failed: service unreachable',
      );
      expect(unhandled).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('fails a broadcast with acks whose adapter rejected, instead of leaving it waiting', async () => {
    class FailingAckAdapter extends Adapter {
      override broadcastWithAck(): Promise<void> {
        return Promise.reject(new Error('ack broadcast failed'));
      }
    }
    const h = await startServer({ adapter: FailingAckAdapter as unknown as AdapterConstructor });
    await expect((h.io as Server).emitWithAck('ask')).rejects.toThrow('ack broadcast failed');
    expect(unhandled).toEqual([]);
  });
});

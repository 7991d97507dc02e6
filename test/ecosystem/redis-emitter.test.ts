// @socket.io/redis-emitter 5.1 publishing to a cluster of two servers: run against wiregate on
// wiregate/redis and against socket.io 4.8 on @socket.io/redis-adapter 8.3, and what official
// clients saw compared (socket.io is the reference).
import { Emitter } from '@socket.io/redis-emitter';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createAdapter, type RedisAdapter } from '../../src/redis';
import { Server } from '../../src/server';
import {
  closeAll,
  connectTo,
  describeRedis,
  REDIS,
  requireRedis,
  track,
  uniqueKey,
  waitUntil,
} from '../cluster/cluster-harness';
import {
  joinRoom,
  logEvents,
  nextEvent,
  recordCrashes,
  startAnyNode,
  waitForServers,
  type Flavour,
} from './redis-node-harness';

interface Observations {
  /** Every event each client received, in order. */
  logs: Record<string, unknown[][]>;
  /** What the servers' namespace listeners got from `emitter.serverSideEmit`. */
  serverSide: Record<string, unknown[]>;
  /** b1's disconnect reason after `disconnectSockets`. */
  disconnectReason: string;
  /** Who was still connected afterwards. */
  connected: Record<string, boolean>;
}

/**
 * a1 (in r1) and x1 (namespace /x) on server A, b1 (in r2) and b2 on server B. Every emitter
 * step is followed by an `end` marker: the emitter's messages reach each server in order, so a
 * client that was not meant to get something has had its chance once it has the marker.
 */
async function scenario(flavour: Flavour): Promise<Observations> {
  const key = uniqueKey();
  const setup = { namespaces: ['/x'] };
  const [a, b] = await Promise.all([
    startAnyNode(flavour, 'A', key, setup),
    startAnyNode(flavour, 'B', key, setup),
  ]);
  await waitForServers([a, b], 2);
  const [a1, b1, b2, x1] = await Promise.all([
    a.connect({ auth: { user: 'a1' } }),
    b.connect({ auth: { user: 'b1' } }),
    b.connect({ auth: { user: 'b2' } }),
    a.connect({ nsp: '/x', auth: { user: 'x1' } }),
  ]);
  await Promise.all([joinRoom(a1, 'r1'), joinRoom(b1, 'r2')]);
  const clients = { a1, b1, b2, x1 };
  const logs = Object.fromEntries(Object.entries(clients).map(([name, c]) => [name, logEvents(c)]));

  const redis = new Redis(REDIS);
  track({ close: async () => void redis.disconnect() }, true);
  const emitter = new Emitter(redis, { key });

  emitter.emit('hello', 1, 'two', { three: [3] }, null);
  emitter.to('r1').emit('room', 'r1 only');
  emitter.except('r1').emit('except', 'all but r1');
  emitter.to(['r1', 'r2']).except('r2').emit('union', 'r1 or r2, not r2');
  // Not volatile: socket.io drops a volatile packet while the transport is busy writing, which
  // depends on timing, not on the protocol.
  emitter.compress(false).emit('flags', 'compress');
  emitter.emit('bin', Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
  emitter.of('/x').emit('nsp', 'x only');
  emitter.in('r1').socketsJoin(['joined', 'other']);
  emitter.to('joined').emit('afterJoin', 'joined');
  emitter.in('r1').socketsLeave('joined');
  emitter.to('joined').emit('afterLeave', 'nobody');
  emitter.to('other').emit('stillIn', 'other');
  emitter.emit('end');
  emitter.of('/x').emit('end');
  await Promise.all(Object.values(logs).map((log) => log.until('end')));

  const serverSide: Record<string, unknown[]> = {};
  const heard = [a, b].map(
    (node) =>
      new Promise<void>((resolve) =>
        node.nsp('/').on('fromEmitter', (...args: never[]) => {
          serverSide[node.name] = args;
          resolve();
        }),
      ),
  );
  emitter.serverSideEmit('fromEmitter', 1, { a: 'b' }, [Buffer.from([5])]);
  await Promise.all(heard);

  const reason = nextEvent<string>(b1, 'disconnect');
  emitter.in('r2').disconnectSockets();
  const disconnectReason = await reason;
  emitter.emit('end2');
  await Promise.all([logs.a1.until('end2'), logs.b2.until('end2')]);

  return {
    logs: Object.fromEntries(Object.entries(logs).map(([name, log]) => [name, log.events])),
    serverSide,
    disconnectReason,
    connected: Object.fromEntries(Object.entries(clients).map(([name, c]) => [name, c.connected])),
  };
}

describeRedis('@socket.io/redis-emitter → a cluster (wiregate vs socket.io)', () => {
  beforeAll(requireRedis);
  afterEach(closeAll);

  it('delivers emit, rooms, except, binary, namespaces, socketsJoin/Leave, disconnectSockets and serverSideEmit as socket.io does', async () => {
    const crashes = recordCrashes();
    const reference = await scenario('socket.io');
    await closeAll();
    const seen = await scenario('wiregate');
    crashes.stop();

    expect(seen).toEqual(reference);
    // And what that is, so a change on both sides cannot go unnoticed.
    const hello = ['hello', 1, 'two', { three: [3] }, null];
    const bin = ['bin', Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) }];
    expect(seen.logs.a1).toEqual([
      hello,
      ['room', 'r1 only'],
      ['union', 'r1 or r2, not r2'],
      ['flags', 'compress'],
      bin,
      ['afterJoin', 'joined'],
      ['stillIn', 'other'],
      ['end'],
      ['end2'],
    ]);
    expect(seen.logs.b1).toEqual([
      hello,
      ['except', 'all but r1'],
      ['flags', 'compress'],
      bin,
      ['end'],
    ]);
    expect(seen.logs.b2).toEqual([
      hello,
      ['except', 'all but r1'],
      ['flags', 'compress'],
      bin,
      ['end'],
      ['end2'],
    ]);
    expect(seen.logs.x1).toEqual([['nsp', 'x only'], ['end']]);
    expect(Buffer.isBuffer(seen.logs.a1[4][1])).toBe(true);
    // The emitter sends serverSideEmit as JSON: binary arrives as JSON saw it, on both.
    expect(seen.serverSide).toEqual({
      A: [1, { a: 'b' }, [{ type: 'Buffer', data: [5] }]],
      B: [1, { a: 'b' }, [{ type: 'Buffer', data: [5] }]],
    });
    expect(seen.disconnectReason).toBe('io server disconnect');
    expect(seen.connected).toEqual({ a1: true, b1: false, b2: true, x1: true });
    expect(crashes.seen).toEqual([]);
  });

  it('reaches wiregate servers using the default key (socket.io) without configuration', async () => {
    // Other engineers may run servers on the default key at the same time: only our own room is used.
    const room = uniqueKey();
    const subName = `${room}-sub`;
    const [pub, sub, redis] = [
      new Redis(REDIS),
      new Redis({ ...REDIS, connectionName: subName }),
      new Redis(REDIS),
    ];
    track({ close: async () => void [pub, sub, redis].forEach((c) => c.disconnect()) }, true);
    const httpServer = createServer();
    const io = new Server(httpServer, { adapter: createAdapter(pub, sub) });
    track({ close: () => io.close() });
    io.on('connection', (socket) => void socket.join(room));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const adapter = io.of('/').adapter as unknown as RedisAdapter;
    expect(adapter.requestChannel).toBe('socket.io-request#/#');
    // Subscribed once our connection has the pattern and the three channels.
    await waitUntil(
      async () =>
        / sub=3 psub=1 /.test(
          String(await redis.client('LIST'))
            .split('\n')
            .find((l) => l.includes(` name=${subName} `)) ?? '',
        ),
      5000,
      'the subscriptions',
    );
    const client = await connectTo(
      `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    );
    const got = nextEvent(client, 'default');
    new Emitter(redis).to(room).emit('default', 'key');
    expect(await got).toBe('key');
  });
});

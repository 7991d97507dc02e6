// The Redis adapter over each supported client and transport: ioredis and node-redis clients
// (also mixed in one cluster), plain and sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7+).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { io as connectClient } from 'socket.io-client';
import {
  createAdapter,
  createShardedAdapter,
  type RedisAdapter,
  type ShardedRedisAdapter,
} from '../../src/redis';
import { Server } from '../../src/server';
import {
  adminClient,
  closeAll,
  describeRedis,
  once,
  REDIS,
  requireRedis,
  startNode,
  track,
  uniqueKey,
  waitForCluster,
  waitUntil,
  type NodeOptions,
} from './cluster-harness';

async function exercise(optsA: NodeOptions, optsB: NodeOptions): Promise<void> {
  const key = uniqueKey();
  const [a, b] = await Promise.all([startNode('A', key, optsA), startNode('B', key, optsB)]);
  await waitForCluster([a, b], 2);
  const [a1, b1] = await Promise.all([a.connect({ auth: { user: 'kim' } }), b.connect()]);
  b1.on('q', (ack: (r: string) => void) => ack('b1'));

  const got = once(b1, 'hello');
  a.io.emit('hello', Buffer.from([1, 2]));
  expect([...Buffer.from((await got) as Buffer)]).toEqual([1, 2]);

  const sockets = await b.io.fetchSockets();
  expect(sockets.find((s) => s.id === a1.id)?.data).toEqual({ server: 'A', user: 'kim' });
  expect(await a.io.to(b1.id!).timeout(2000).emitWithAck('q')).toEqual(['b1']);

  b.io.of('/').on('ping', (ack: (r: string) => void) => ack('pong'));
  expect(await a.io.serverSideEmitWithAck('ping')).toEqual(['pong']);
  expect([...a.errors, ...b.errors]).toEqual([]);
}

describeRedis('Redis clients and pub/sub flavours', () => {
  beforeAll(requireRedis);
  afterEach(closeAll);

  it('works with sharded pub/sub on ioredis', () => exercise({ sharded: true }, { sharded: true }));
  it('works with node-redis clients', () => exercise({ nodeRedis: true }, { nodeRedis: true }));
  it('works with sharded pub/sub on node-redis', () =>
    exercise({ nodeRedis: true, sharded: true }, { nodeRedis: true, sharded: true }));
  it('works with the static and dynamic-private subscription modes', async () => {
    await exercise(
      { sharded: true, subscriptionMode: 'static' },
      { sharded: true, subscriptionMode: 'static' },
    );
    await exercise(
      { sharded: true, subscriptionMode: 'dynamic-private', nodeRedis: true },
      { sharded: true, subscriptionMode: 'dynamic-private' },
    );
  });
  it('mixes an ioredis server and a node-redis server in one cluster', () =>
    exercise({}, { nodeRedis: true }));

  it('createShardedAdapter(pub, sub, { channelPrefix }) uses SSUBSCRIBE on <prefix>#<nsp>#', async () => {
    const key = uniqueKey();
    const pub = new Redis(REDIS);
    const sub = new Redis(REDIS);
    track({ close: async () => void [pub, sub].forEach((c) => c.disconnect()) }, true);
    const io = new Server({ adapter: createShardedAdapter(pub, sub, { channelPrefix: key }) });
    track({ close: () => io.close() });
    const adapter = io.of('/').adapter as unknown as ShardedRedisAdapter;
    expect(adapter.channel).toBe(`${key}#/#`);
    const admin = adminClient();
    await waitUntil(
      async () => {
        const [, n] = (await admin.call('PUBSUB', 'SHARDNUMSUB', adapter.channel)) as [
          string,
          number,
        ];
        return Number(n) === 1;
      },
      3000,
      'the sharded subscription',
    );
  });

  it('serves two Servers from one createAdapter() and one pair of clients', async () => {
    const key = uniqueKey();
    const pub = new Redis(REDIS);
    const sub = new Redis(REDIS);
    track({ close: async () => void [pub, sub].forEach((c) => c.disconnect()) }, true);
    const Adapter = createAdapter(pub, sub, { key });
    const servers = await Promise.all(
      [0, 1].map(async () => {
        const httpServer = createServer();
        const io = new Server(httpServer, { adapter: Adapter });
        await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
        track({ close: () => io.close() });
        return { io, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
      }),
    );
    const adapters = servers.map((s) => s.io.of('/').adapter as unknown as RedisAdapter);
    await waitUntil(async () => (await adapters[1].serverCount()) === 2, 5000, 'two servers');
    const client = connectClient(servers[1].url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    track({ close: async () => void client.disconnect() });
    await once(client, 'connect');
    const got = once(client, 'hi');
    servers[0].io.emit('hi', 'across');
    expect(await got).toBe('across');

    // One server closing must not unsubscribe the channel the other still uses.
    await servers[0].io.close();
    await waitUntil(async () => (await adapters[1].serverCount()) === 1, 2000, 'one server');
    const [, subscribers] = (await adminClient().pubsub('NUMSUB', adapters[1].requestChannel)) as [
      string,
      number,
    ];
    expect(Number(subscribers)).toBe(1);
    expect([sub.listenerCount('messageBuffer'), sub.listenerCount('pmessageBuffer')]).toEqual([
      1, 1,
    ]);
    // The last one closing leaves the user's client as it found it.
    await servers[1].io.close();
    expect([sub.listenerCount('messageBuffer'), sub.listenerCount('pmessageBuffer')]).toEqual([
      0, 0,
    ]);
  });
});

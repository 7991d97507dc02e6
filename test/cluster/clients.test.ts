// The Redis adapter over each supported client and transport: ioredis and node-redis clients
// (also mixed in one cluster), plain and sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7+).
import { closeAll, describeRedis, once, requireRedis, startNode, uniqueKey, waitForCluster, type NodeOptions } from './cluster-harness';

async function exercise(optsA: NodeOptions, optsB: NodeOptions): Promise<void> {
  const key = uniqueKey();
  const [a, b] = await Promise.all([startNode('A', key, optsA), startNode('B', key, optsB)]);
  await waitForCluster([a, b], 2);
  const [a1, b1] = await Promise.all([a.connect({ auth: { user: 'kim' } }), b.connect()]);
  b1.on('q', (ack: (r: string) => void) => ack('b1'));

  const got = once(b1, 'hello');
  a.io.emit('hello', Buffer.from([1, 2]));
  expect([...Buffer.from(await got as Buffer)]).toEqual([1, 2]);

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
  it('works with sharded pub/sub on node-redis', () => exercise({ nodeRedis: true, sharded: true }, { nodeRedis: true, sharded: true }));
  it('mixes an ioredis server and a node-redis server in one cluster', () => exercise({}, { nodeRedis: true }));
});

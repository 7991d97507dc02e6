// The utility methods across servers through Redis: socketsJoin/Leave, disconnectSockets,
// fetchSockets with remote socket.data and remote operations, serverSideEmit (docs/internals/server-semantics.md, "Utility methods", "socket.data", "In a cluster").
import { Redis } from 'ioredis';
import { createAdapter, createShardedAdapter } from '../../src/redis';
import { Server, type RemoteSocket } from '../../src/server';
import {
  closeAll,
  connectTo,
  describeRedis,
  join,
  once,
  REDIS,
  requireRedis,
  startChild,
  startNode,
  track,
  uniqueKey,
  waitForCluster,
  waitUntil,
} from './cluster-harness';

async function twoServers(opts = {}) {
  const key = uniqueKey();
  const [a, b] = await Promise.all([startNode('A', key, opts), startNode('B', key, opts)]);
  await waitForCluster([a, b], 2);
  return { key, a, b };
}

describeRedis('cluster utility methods (Redis)', () => {
  beforeAll(requireRedis);
  // jest fails a test on any unhandled rejection, so none go unnoticed.
  afterEach(closeAll);

  it('socketsJoin / socketsLeave act on every server and resolve once applied', async () => {
    const { key, a, b } = await twoServers();
    const child = await startChild(key);
    await waitForCluster([a, b], 3);
    const [b1, c1] = await Promise.all([b.connect(), connectTo(child.url)]);
    await a.io.in(b1.id!).socketsJoin(['vip', 'gold']);
    expect([...b.io.of('/').sockets.get(b1.id!)!.rooms].sort()).toEqual(
      [b1.id, 'gold', 'vip'].sort(),
    );

    await a.io.socketsJoin('everyone');
    const got = Promise.all([once(b1, 'all'), once(c1, 'all')]);
    b.io.to('everyone').emit('all', 'yes');
    expect(await got).toEqual(['yes', 'yes']);

    await a.io.in('vip').socketsLeave('vip');
    expect(b.io.of('/').sockets.get(b1.id!)!.rooms.has('vip')).toBe(false);
    expect(b.io.of('/').sockets.get(b1.id!)!.rooms.has('gold')).toBe(true);
  });

  it('disconnectSockets disconnects the selected sockets on every server', async () => {
    const { key, a, b } = await twoServers();
    const child = await startChild(key);
    await waitForCluster([a, b], 3);
    const [a1, b1, b2, c1] = await Promise.all([
      a.connect(),
      b.connect(),
      b.connect(),
      connectTo(child.url),
    ]);
    await Promise.all([join(b1, 'kick'), join(c1, 'kick')]);
    const reasons = Promise.all([once(b1, 'disconnect'), once(c1, 'disconnect')]);
    await a.io.in('kick').disconnectSockets();
    expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
    expect(a1.connected && b2.connected).toBe(true);
    expect(b.io.of('/').sockets.has(b1.id!)).toBe(false);
  });

  it('fetchSockets returns id, handshake, rooms and data from every server', async () => {
    const { key, a, b } = await twoServers();
    const child = await startChild(key);
    await waitForCluster([a, b], 3);
    const [a1, b1, c1] = await Promise.all([
      a.connect({ auth: { user: 'kim' } }),
      b.connect(),
      connectTo(child.url, { user: 'lee' }),
    ]);
    // Server A stores more in socket.data; server B reads it.
    const aSocket = a.io.of('/').sockets.get(a1.id!)!;
    aSocket.data.profile = { id: 7, tags: ['x'], avatar: Buffer.from([9, 8]) };
    await join(a1, 'r1');

    const sockets = await b.io.fetchSockets();
    expect(sockets.map((s) => s.id).sort()).toEqual([a1.id, b1.id, c1.id].sort());
    const remoteA = sockets.find((s) => s.id === a1.id)!;
    expect(remoteA.data).toEqual({
      server: 'A',
      user: 'kim',
      profile: { id: 7, tags: ['x'], avatar: Buffer.from([9, 8]) },
    });
    expect(Buffer.isBuffer(remoteA.data.profile.avatar)).toBe(true);
    expect([...remoteA.rooms].sort()).toEqual([a1.id, 'r1'].sort());
    expect(remoteA.handshake.auth).toEqual({ user: 'kim' });
    expect(remoteA.handshake.address).toBe('127.0.0.1');
    expect(typeof remoteA.handshake.issued).toBe('number');
    expect(sockets.find((s) => s.id === c1.id)!.data).toEqual({ server: 'child', user: 'lee' });

    const inR1 = await b.io.in('r1').fetchSockets();
    expect(inR1.map((s) => s.id)).toEqual([a1.id]);
    const local = await b.io.local.fetchSockets();
    expect(local.map((s) => s.id)).toEqual([b1.id]);
    expect([...(await b.io.of('/').allSockets())].sort()).toEqual([a1.id, b1.id, c1.id].sort());
  });

  it('emit, join, leave, timeout().emit and disconnect work on a remote socket', async () => {
    const { a, b } = await twoServers();
    const a1 = await a.connect();
    a1.on('ask', (n: number, ack: (r: number) => void) => ack(n * 2));
    const [remote] = (await b.io.in(a1.id!).fetchSockets()) as RemoteSocket[];
    expect(remote.id).toBe(a1.id);

    const hello = once(a1, 'hello');
    remote.emit('hello', 'from B');
    expect(await hello).toBe('from B');

    await remote.join('remote-room');
    const aSocket = a.io.of('/').sockets.get(a1.id!)!;
    expect(aSocket.rooms.has('remote-room')).toBe(true);
    await remote.leave('remote-room');
    expect(aSocket.rooms.has('remote-room')).toBe(false);

    const reply = await new Promise((resolve, reject) =>
      remote
        .timeout(2000)
        .emit('ask', 21, (err: Error | null, r: unknown) => (err ? reject(err) : resolve(r))),
    );
    expect(reply).toBe(42);

    const gone = once(a1, 'disconnect');
    remote.disconnect();
    expect(await gone).toBe('io server disconnect');
  });

  it('serverSideEmit reaches the other servers, not this one', async () => {
    const { key, a, b } = await twoServers();
    const child = await startChild(key);
    await waitForCluster([a, b], 3);
    const onA = jest.fn();
    a.io.of('/').on('note', onA);
    const onB = once<unknown>(b.io.of('/'), 'note');
    a.io.serverSideEmit('note', { n: 1, bin: Buffer.from('hi') });
    expect(await onB).toEqual({ n: 1, bin: Buffer.from('hi') });
    await waitUntil(() => child.notes.length === 1, 3000, 'the child to print the note');
    expect(child.notes[0]).toEqual({ note: [{ n: 1, bin: { type: 'Buffer', data: [104, 105] } }] });
    expect(onA).not.toHaveBeenCalled();
  });

  it('serverSideEmit with an ack collects one reply per server', async () => {
    const { key, a, b } = await twoServers();
    const child = await startChild(key);
    await waitForCluster([a, b], 3);
    b.io.of('/').on('ping', (x: number, ack: (r: unknown) => void) => ack({ from: 'B', got: [x] }));
    const replies = await a.io.serverSideEmitWithAck('ping', 5);
    expect(replies).toHaveLength(2);
    expect(replies).toEqual(
      expect.arrayContaining([
        { from: 'B', got: [5] },
        { from: 'child', got: [5] },
      ]),
    );
    expect(child.notes).toEqual([]);
  });

  it('serverSideEmit with an ack fails with WG_ERR_ACK_TIMEOUT when a server never answers', async () => {
    const { a, b } = await twoServers({ requestsTimeout: 300 });
    b.io.of('/').on('silent', () => undefined); // never calls the ack
    const started = Date.now();
    const err = await a.io.serverSideEmitWithAck('silent').then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('WG_ERR_ACK_TIMEOUT');
    expect(err?.message).toMatch(
      /serverSideEmit: 1 of 1 other server\(s\) did not answer within 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([false, true])(
    'counts itself while its own SUBSCRIBE is still on its way (sharded: %s)',
    async (sharded) => {
      // The subscriber connects only now (lazyConnect), while the publisher is ready: without
      // waiting for its own SUBSCRIBE the server would count 0 servers, itself left out.
      const pub = new Redis(REDIS);
      const sub = new Redis({ ...REDIS, lazyConnect: true });
      track({ close: async () => void (pub.disconnect(), sub.disconnect()) }, true);
      await pub.ping();
      const io = new Server();
      track({ close: () => io.close() });
      const key = uniqueKey();
      io.adapter(
        sharded
          ? createShardedAdapter(pub, sub, { channelPrefix: key })
          : createAdapter(pub, sub, { key }),
      );
      expect(await io.of('/').adapter.serverCount()).toBe(1);
    },
  );

  it('a server alone answers at once', async () => {
    const a = await startNode('A', uniqueKey());
    expect(await a.io.serverSideEmitWithAck('anything')).toEqual([]);
    expect(await a.adapter().serverCount()).toBe(1);
    expect(await a.io.fetchSockets()).toEqual([]);
  });
});

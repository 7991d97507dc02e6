// One cluster, two implementations: a socket.io 4.8 server on @socket.io/redis-adapter 8.3 and a
// wiregate server on wiregate/redis, same Redis, same key, in the classic mode and in the sharded
// one. Everything a cluster does goes both ways, observed through official clients; neither side
// may crash or report an error.
import type { Socket as ClientSocket } from 'socket.io-client';
import { closeAll, describeRedis, requireRedis, uniqueKey } from '../cluster/cluster-harness';
import {
  joinRoom,
  logEvents,
  nextEvent,
  recordCrashes,
  startAnyNode,
  waitForServers,
  waitForShardedRoom,
  type AnyNode,
  type EventLog,
  type NodeSetup,
  type RemoteSocketLike,
} from './redis-node-harness';

interface Cluster {
  key: string;
  /** The socket.io server and the wiregate server. */
  S: AnyNode;
  W: AnyNode;
  /** s1 (in r) and s2 (in ex) on S; w1 (in r) and w2 (in r and ex) on W. */
  clients: Record<'s1' | 's2' | 'w1' | 'w2', ClientSocket>;
}

const modes: [string, NodeSetup][] = [
  ['classic', { mode: 'classic' }],
  ['classic, node-redis clients on wiregate', { mode: 'classic', nodeRedis: true }],
  [
    'classic, publishOnSpecificResponseChannel',
    { mode: 'classic', publishOnSpecificResponseChannel: true },
  ],
  ['sharded, dynamic', { mode: 'sharded', subscriptionMode: 'dynamic' }],
  ['sharded, static', { mode: 'sharded', subscriptionMode: 'static' }],
  [
    'sharded, dynamic-private, node-redis clients on wiregate',
    { mode: 'sharded', subscriptionMode: 'dynamic-private', nodeRedis: true },
  ],
];

describeRedis.each(modes)('mixed socket.io + wiregate cluster (%s)', (_name, setup) => {
  let crashes: ReturnType<typeof recordCrashes>;
  let cluster: Cluster;

  beforeAll(requireRedis);
  beforeEach(async () => {
    crashes = recordCrashes();
    const key = uniqueKey();
    const [S, W] = await Promise.all([
      startAnyNode('socket.io', 'S', key, setup),
      startAnyNode('wiregate', 'W', key, setup),
    ]);
    await waitForServers([S, W], 2);
    const [s1, s2, w1, w2] = await Promise.all([
      S.connect({ auth: { user: 's1' } }),
      S.connect({ auth: { user: 's2' } }),
      W.connect({ auth: { user: 'w1' } }),
      W.connect({ auth: { user: 'w2' } }),
    ]);
    await Promise.all([
      joinRoom(s1, 'r'),
      joinRoom(s2, 'ex'),
      joinRoom(w1, 'r'),
      joinRoom(w2, 'r'),
      joinRoom(w2, 'ex'),
    ]);
    if (setup.mode === 'sharded' && setup.subscriptionMode !== 'static') {
      await Promise.all([waitForShardedRoom(key, 'r', 2), waitForShardedRoom(key, 'ex', 2)]);
    }
    if (setup.subscriptionMode === 'dynamic-private') {
      // Each socket's own room has its channel too, subscribed by the socket's server.
      await Promise.all([s1, s2, w1, w2].map((c) => waitForShardedRoom(key, c.id!, 1)));
    }
    cluster = { key, S, W, clients: { s1, s2, w1, w2 } };
  });
  afterEach(async () => {
    await closeAll();
    crashes.stop();
    expect(crashes.seen).toEqual([]);
    expect([...cluster.S.errors, ...cluster.W.errors]).toEqual([]);
  });

  it('counts two servers on both sides', async () => {
    expect(await cluster.S.nsp().adapter.serverCount()).toBe(2);
    expect(await cluster.W.nsp().adapter.serverCount()).toBe(2);
  });

  it('broadcasts both ways: everyone, one room, one socket, rooms minus except, binary', async () => {
    const { S, W, clients } = cluster;
    const logs = Object.fromEntries(
      Object.entries(clients).map(([name, c]) => [name, logEvents(c)]),
    ) as Record<keyof Cluster['clients'], EventLog>;
    for (const sender of [S, W]) {
      const from = sender.name;
      const io = sender.nsp();
      io.emit('all', from, 1, { n: [2] }, Buffer.from([1, 2]));
      io.to('r').emit('room', from, Buffer.from([3]));
      io.to(from === 'S' ? clients.w1.id! : clients.s1.id!).emit('direct', from);
      io.to(['r', 'ex']).except('ex').emit('except', from);
      io.emit(`end${from}`);
      await Promise.all(Object.values(logs).map((log) => log.until(`end${from}`)));
    }
    const expected = (from: string, inR: boolean, inEx: boolean, direct = false): unknown[][] => [
      ['all', from, 1, { n: [2] }, Buffer.from([1, 2])],
      ...(inR ? [['room', from, Buffer.from([3])]] : []),
      ...(direct ? [['direct', from]] : []),
      ...(inR && !inEx ? [['except', from]] : []),
      [`end${from}`],
    ];
    expect(logs.s1.events).toEqual([
      ...expected('S', true, false),
      ...expected('W', true, false, true),
    ]);
    expect(logs.s2.events).toEqual([...expected('S', false, true), ...expected('W', false, true)]);
    expect(logs.w1.events).toEqual([
      ...expected('S', true, false, true),
      ...expected('W', true, false),
    ]);
    expect(logs.w2.events).toEqual([...expected('S', true, true), ...expected('W', true, true)]);
    expect(Buffer.isBuffer(logs.w1.events[0][4])).toBe(true);
  });

  it('fetchSockets across, both ways: handshake, rooms and data (binary too)', async () => {
    const { S, W, clients } = cluster;
    const wSocket = W.nsp().sockets.get(clients.w1.id!) as unknown as {
      data: Record<string, unknown>;
    };
    wSocket.data.avatar = Buffer.from([9, 8]);

    const fromS = await S.nsp().fetchSockets();
    expect(fromS.map((s) => s.id).sort()).toEqual(
      Object.values(clients)
        .map((c) => c.id)
        .sort(),
    );
    const w1 = fromS.find((s) => s.id === clients.w1.id) as RemoteSocketLike;
    expect(w1.data).toEqual({ server: 'W', user: 'w1', avatar: Buffer.from([9, 8]) });
    expect(Buffer.isBuffer((w1.data as { avatar: unknown }).avatar)).toBe(true);
    expect([...w1.rooms].sort()).toEqual([clients.w1.id, 'r'].sort());
    expect(w1.handshake.auth).toEqual({ user: 'w1' });
    expect(w1.handshake.address).toBe('127.0.0.1');

    const fromW = await W.nsp().fetchSockets();
    expect(fromW.map((s) => s.id).sort()).toEqual(
      Object.values(clients)
        .map((c) => c.id)
        .sort(),
    );
    const s1 = fromW.find((s) => s.id === clients.s1.id) as RemoteSocketLike;
    expect(s1.data).toEqual({ server: 'S', user: 's1' });
    expect([...s1.rooms].sort()).toEqual([clients.s1.id, 'r'].sort());
    expect(s1.handshake.auth).toEqual({ user: 's1' });
    expect(typeof s1.handshake.issued).toBe('number');

    expect((await W.nsp().in('ex').fetchSockets()).map((s) => s.id).sort()).toEqual(
      [clients.s2.id, clients.w2.id].sort(),
    );
    expect((await S.nsp().in('r').except('ex').fetchSockets()).map((s) => s.id).sort()).toEqual(
      [clients.s1.id, clients.w1.id].sort(),
    );
  });

  it('socketsJoin, socketsLeave and disconnectSockets across, both ways', async () => {
    const { S, W, clients } = cluster;
    const sRooms = () => S.nsp().sockets.get(clients.s1.id!)!.rooms;
    // wiregate → socket.io: resolves once the socket.io server applied it.
    await W.nsp().in(clients.s1.id!).socketsJoin(['wj', 'wk']);
    expect([...sRooms()].sort()).toEqual([clients.s1.id, 'r', 'wj', 'wk'].sort());
    await W.nsp().in('wj').socketsLeave('wj');
    expect([...sRooms()].sort()).toEqual([clients.s1.id, 'r', 'wk'].sort());

    // socket.io → wiregate: socket.io does not wait, the wiregate adapter's events tell.
    const joined = new Promise((resolve) =>
      W.nsp().adapter.once('join-room', (room, id) => resolve([room, id])),
    );
    void S.nsp().in(clients.w1.id!).socketsJoin('sj');
    expect(await joined).toEqual(['sj', clients.w1.id]);
    const left = new Promise((resolve) =>
      W.nsp().adapter.once('leave-room', (room, id) => resolve([room, id])),
    );
    void S.nsp().in('sj').socketsLeave('sj');
    expect(await left).toEqual(['sj', clients.w1.id]);

    const reasons = Promise.all([
      nextEvent(clients.s2, 'disconnect'),
      nextEvent(clients.w2, 'disconnect'),
    ]);
    await W.nsp().in(clients.s2.id!).disconnectSockets();
    void S.nsp().in(clients.w2.id!).disconnectSockets();
    expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
    expect([clients.s1.connected, clients.w1.connected]).toEqual([true, true]);
  });

  it('serverSideEmit with and without ack, both ways', async () => {
    const { S, W } = cluster;
    const onW = new Promise<unknown[]>((resolve) =>
      W.nsp().on('fromS', (...args: never[]) => resolve(args)),
    );
    const onS = new Promise<unknown[]>((resolve) =>
      S.nsp().on('fromW', (...args: never[]) => resolve(args)),
    );
    S.nsp().serverSideEmit('fromS', 1, { two: [2] });
    W.nsp().serverSideEmit('fromW', 1, { bin: Buffer.from([7]) });
    expect(await onW).toEqual([1, { two: [2] }]);
    // wiregate sends binary as MessagePack, which socket.io reads as such.
    expect(await onS).toEqual([1, { bin: Buffer.from([7]) }]);

    W.nsp().on('askW', ((n: number, ack: (reply: unknown) => void) =>
      ack({ from: 'W', got: n })) as never);
    S.nsp().on('askS', ((n: number, ack: (reply: unknown) => void) =>
      ack({ from: 'S', got: n })) as never);
    expect(await S.nsp().serverSideEmitWithAck('askW', 2)).toEqual([{ from: 'W', got: 2 }]);
    expect(await W.nsp().serverSideEmitWithAck('askS', 3)).toEqual([{ from: 'S', got: 3 }]);
  });

  it('broadcasts with acks across, both ways', async () => {
    const { S, W, clients } = cluster;
    for (const [name, client] of Object.entries(clients))
      client.on('q', (ack: (reply: string) => void) => ack(name));
    for (const sender of [S, W]) {
      expect(((await sender.nsp().timeout(4000).emitWithAck('q')) as string[]).sort()).toEqual([
        's1',
        's2',
        'w1',
        'w2',
      ]);
      expect(
        ((await sender.nsp().to('r').timeout(4000).emitWithAck('q')) as string[]).sort(),
      ).toEqual(['s1', 'w1', 'w2']);
    }
  });
});

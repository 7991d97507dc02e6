// Broadcasts across servers through Redis: rooms, except, local, binary, namespaces, and
// broadcasts with acks (docs/internals/server-semantics.md, "Broadcasting" and "In a cluster").
import type { Socket as ClientSocket } from 'socket.io-client';
import {
  closeAll,
  connectTo,
  describeRedis,
  join,
  once,
  record,
  requireRedis,
  startChild,
  startNode,
  uniqueKey,
  waitForCluster,
  type Node,
} from './cluster-harness';

interface Cluster {
  a: Node;
  b: Node;
  a1: ClientSocket;
  b1: ClientSocket;
  b2: ClientSocket;
  c1: ClientSocket;
}

/** Servers A and B in this process, C in a child; a1 in r1; b1 in r1, r2; c1 in r2, r3; b2 nowhere. */
async function startCluster(): Promise<Cluster> {
  const key = uniqueKey();
  const [a, b, c] = await Promise.all([startNode('A', key), startNode('B', key), startChild(key)]);
  await waitForCluster([a, b], 3);
  const [a1, b1, b2, c1] = await Promise.all([a.connect(), b.connect(), b.connect(), connectTo(c.url)]);
  await Promise.all([join(a1, 'r1'), join(b1, 'r1'), join(b1, 'r2'), join(c1, 'r2'), join(c1, 'r3')]);
  for (const [client, name] of [[a1, 'a1'], [b1, 'b1'], [b2, 'b2'], [c1, 'c1']] as const) {
    client.on('q', (_x: unknown, ack: (reply: string) => void) => ack(name));
  }
  return { a, b, a1, b1, b2, c1 };
}

/** Everything broadcast before an `end` from the same server has arrived once `end` has. */
function endOf(...clients: ClientSocket[]): Promise<unknown[]> {
  return Promise.all(clients.map((c) => once(c, 'end')));
}

describeRedis('cluster broadcasts (Redis)', () => {
  beforeAll(requireRedis);
  // jest fails a test on any unhandled rejection, so none go unnoticed.
  afterEach(closeAll);

  it('reaches the union of rooms minus except on every server, each socket once', async () => {
    const { a, a1, b1, b2, c1 } = await startCluster();
    const seen = [a1, b1, b2, c1].map((c) => record(c, 'msg'));
    const ended = endOf(a1, b1, b2, c1);
    a.io.to('r1').to(['r2']).except('r3').emit('msg', 'hello');
    a.io.emit('end');
    await ended;
    expect(seen).toEqual([['hello'], ['hello'], [], []]);
  });

  it('excludes the sender of socket.broadcast on its own server only', async () => {
    const { b, a1, b1, b2, c1 } = await startCluster();
    for (const socket of b.io.of('/').sockets.values()) {
      socket.on('shout', (text: string, ack: () => void) => {
        socket.broadcast.emit('shouted', text);
        ack();
      });
    }
    const seen = [a1, b1, b2, c1].map((c) => record(c, 'shouted'));
    const ended = endOf(a1, b1, b2, c1);
    await new Promise<void>((resolve) => b1.emit('shout', 'hey', resolve));
    b.io.emit('end');
    await ended;
    expect(seen).toEqual([['hey'], [], ['hey'], ['hey']]);
  });

  it('keeps a local broadcast on its own server', async () => {
    const { a, a1, b1, c1 } = await startCluster();
    const seen = [a1, b1, c1].map((c) => record(c, 'here'));
    const ended = endOf(a1, b1, c1);
    a.io.local.emit('here', 1);
    a.io.local.to('r2').emit('here', 2); // r2 has no socket on A
    a.io.emit('end');
    await ended;
    expect(seen).toEqual([[1], [], []]);
  });

  it('carries binary to other servers as binary, and the volatile flag', async () => {
    const { a, b1, c1 } = await startCluster();
    const got = Promise.all([once<Buffer>(b1, 'bin'), once<Buffer>(c1, 'bin')]);
    const nested = Promise.all([once<{ inner: Buffer }>(b1, 'nested'), once<{ inner: Buffer }>(c1, 'nested')]);
    a.io.volatile.emit('bin', Buffer.from([1, 2, 3]));
    a.io.emit('nested', { inner: new Uint8Array([4, 5]) });
    for (const value of await got) expect([...Buffer.from(value)]).toEqual([1, 2, 3]);
    for (const value of await nested) expect([...Buffer.from(value.inner)]).toEqual([4, 5]);
  });

  it('shows broadcasts from other servers to onAnyOutgoing listeners', async () => {
    const { a, b, b1 } = await startCluster();
    const seen: unknown[][] = [];
    b.io.of('/').sockets.get(b1.id!)!.onAnyOutgoing((...args: unknown[]) => seen.push(args));
    const got = once(b1, 'out');
    a.io.emit('out', 'x', Buffer.from([7]));
    await got;
    expect(seen).toEqual([['out', 'x', Buffer.from([7])]]);
  });

  it('reaches long-polling clients on other servers', async () => {
    const key = uniqueKey();
    const [a, b] = await Promise.all([startNode('A', key), startNode('B', key)]);
    await waitForCluster([a, b], 2);
    const client = await connectTo(b.url, undefined, ['polling']);
    const got = once(client, 'polled');
    a.io.emit('polled', Buffer.from([1]), 'text');
    expect([...Buffer.from((await got) as Buffer)]).toEqual([1]);
    client.on('q', (ack: (r: string) => void) => ack('polling'));
    expect(await a.io.timeout(2000).emitWithAck('q')).toEqual(['polling']);
  });

  it('stays inside its namespace on every server', async () => {
    const key = uniqueKey();
    const [a, b] = await Promise.all([startNode('A', key), startNode('B', key)]);
    a.io.of('/chat');
    b.io.of('/chat');
    await waitForCluster([a, b], 2, '/chat');
    const [chat, main] = await Promise.all([b.connect({ nsp: '/chat' }), b.connect()]);
    const seen = record(main, 'news');
    const got = once(chat, 'news');
    a.io.of('/chat').emit('news', 'chat only');
    expect(await got).toBe('chat only');
    const ended = once(main, 'end');
    a.io.emit('end');
    await ended;
    expect(seen).toEqual([]);
  });

  describe('with acks', () => {
    it('collects one reply per client on every server', async () => {
      const { a } = await startCluster();
      const replies = await a.io.timeout(3000).emitWithAck('q', 1);
      expect([...replies].sort()).toEqual(['a1', 'b1', 'b2', 'c1']);
      const inR2 = await a.io.to('r2').timeout(3000).emitWithAck('q', 2);
      expect([...inR2].sort()).toEqual(['b1', 'c1']);
    });

    it('completes at once when no server has a recipient', async () => {
      const { a } = await startCluster();
      const started = Date.now();
      await expect(a.io.to('nobody').timeout(4000).emitWithAck('q')).resolves.toEqual([]);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('works without a timeout, and from a server with no recipient of its own', async () => {
      const { b } = await startCluster();
      const replies = await b.io.to('r3').emitWithAck('q', 0);
      expect(replies).toEqual(['c1']);
    });

    it('fails with WG_ERR_ACK_TIMEOUT and the replies so far when a remote client stays silent', async () => {
      const { a, a1, b1 } = await startCluster();
      a1.on('q2', (ack: (r: string) => void) => ack('a1'));
      b1.on('q2', (ack: (r: string) => void) => ack('b1'));
      const err = await a.io.to(['r1', 'r2']).timeout(500).emitWithAck('q2').then(
        () => null,
        (e: Error & { code?: string; responses?: unknown[] }) => e,
      );
      expect(err?.code).toBe('WG_ERR_ACK_TIMEOUT');
      expect([...(err?.responses ?? [])].sort()).toEqual(['a1', 'b1']);
    });

    it('gives each server its own ack ids (no clash with a pending local ack)', async () => {
      const { a, b, b1 } = await startCluster();
      const bSocket = b.io.of('/').sockets.get(b1.id!)!;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      b1.on('hold', (ack: (r: string) => void) => void held.then(() => ack('held')));
      b1.on('fast', (ack: (r: string) => void) => ack('fast'));
      // B's own pending ack (id 0 of B's counter), then an ack broadcast from A (id 0 of A's).
      const local = bSocket.timeout(3000).emitWithAck('hold');
      const remote = a.io.to(b1.id!).timeout(3000).emitWithAck('fast');
      expect(await remote).toEqual(['fast']);
      release();
      expect(await local).toBe('held');
    });
  });
});

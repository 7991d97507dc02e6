// docs/internals/server-semantics.md, "Utility methods": socketsJoin, socketsLeave, disconnectSockets, fetchSockets on every
// selector (io, io.in(room), io.of(ns).in(room), io.in(socketId), arrays of rooms, except).
import type { DefaultEventsMap, RemoteSocket, Server, Socket } from '../../src/server';
import {
  closeAll,
  connectSocket,
  startServer,
  waitFor,
  waitForArgs,
  type Harness,
} from '../support/harness';

afterEach(closeAll);

/** Three sockets in `/` (a: r1, b: r1+r2, c: r3) and one in `/ns` (n: r1). */
async function setup(h: Harness) {
  h.io.of('/ns');
  const [ca, a] = await connectSocket(h);
  const [cb, b] = await connectSocket(h);
  const [cc, c] = await connectSocket(h);
  const [cn, n] = await connectSocket(h, '/ns');
  a.join('r1');
  b.join(['r1', 'r2']);
  c.join('r3');
  n.join('r1');
  return { a, b, c, n, clients: { ca, cb, cc, cn } };
}

type Selector = (
  io: Server,
  s: Awaited<ReturnType<typeof setup>>,
) => {
  socketsJoin(r: string | string[]): Promise<void>;
  socketsLeave(r: string | string[]): Promise<void>;
  disconnectSockets(close?: boolean): Promise<void>;
  fetchSockets(): Promise<RemoteSocket<DefaultEventsMap, { name?: string }>[]>;
};

/** Selector name → [selector, names of the sockets it selects]. */
const selectors: [string, Selector, string[]][] = [
  ['io', (io) => io, ['a', 'b', 'c']],
  ['io.sockets', (io) => io.sockets, ['a', 'b', 'c']],
  ['io.in(room)', (io) => io.in('r1'), ['a', 'b']],
  ['io.to(room)', (io) => io.to('r2'), ['b']],
  ['io.of(ns)', (io) => io.of('/ns'), ['n']],
  ['io.of(ns).in(room)', (io) => io.of('/ns').in('r1'), ['n']],
  ['io.in(socketId)', (io, s) => io.in(s.c.id), ['c']],
  ['io.in([rooms])', (io) => io.in(['r2', 'r3']), ['b', 'c']],
  ['io.except(room)', (io) => io.except('r1'), ['c']],
  ['io.in(room).except(room)', (io) => io.in('r1').except('r2'), ['a']],
  ['socket.to(room) (excludes the socket)', (_io, s) => s.a.to('r1'), ['b']],
  ['socket.broadcast', (_io, s) => s.a.broadcast, ['b', 'c']],
];

function namesOf(s: Awaited<ReturnType<typeof setup>>, ids: Iterable<string>): string[] {
  const byId = new Map([s.a, s.b, s.c, s.n].map((x, i) => [x.id, 'abcn'[i]]));
  return [...ids].map((id) => byId.get(id) ?? id).sort();
}

describe.each(selectors)('selector %s', (_label, select, expected) => {
  it('socketsJoin makes exactly the selected sockets join (one room and arrays)', async () => {
    const h = await startServer();
    const s = await setup(h);
    await select(h.io, s).socketsJoin('joined');
    await select(h.io, s).socketsJoin(['j1', 'j2']);
    const nsp = expected.includes('n') ? '/ns' : '/';
    const adapter = h.io.of(nsp).adapter;
    expect(namesOf(s, adapter.rooms.get('joined') ?? [])).toEqual(expected);
    expect(namesOf(s, adapter.rooms.get('j2') ?? [])).toEqual(expected);
  });

  it('socketsLeave makes exactly the selected sockets leave', async () => {
    const h = await startServer();
    const s = await setup(h);
    for (const x of [s.a, s.b, s.c]) x.join(['x', 'y']);
    s.n.join(['x', 'y']);
    await select(h.io, s).socketsLeave(['x']);
    await select(h.io, s).socketsLeave('y');
    const nsp = expected.includes('n') ? '/ns' : '/';
    const all = nsp === '/ns' ? ['n'] : ['a', 'b', 'c'];
    const left = all.filter((x) => !expected.includes(x));
    expect(namesOf(s, h.io.of(nsp).adapter.rooms.get('x') ?? [])).toEqual(left);
    expect(namesOf(s, h.io.of(nsp).adapter.rooms.get('y') ?? [])).toEqual(left);
  });

  it('fetchSockets returns the selected sockets with id, handshake, rooms, data', async () => {
    const h = await startServer();
    const s = await setup(h);
    for (const [x, name] of [
      [s.a, 'a'],
      [s.b, 'b'],
      [s.c, 'c'],
      [s.n, 'n'],
    ] as [Socket, string][])
      x.data = { name };
    const found = await select(h.io, s).fetchSockets();
    expect(
      namesOf(
        s,
        found.map((f) => f.id),
      ),
    ).toEqual(expected);
    for (const f of found) {
      expect(f.data.name).toBe(namesOf(s, [f.id])[0]);
      expect(f.rooms.has(f.id)).toBe(true);
      expect(f.handshake.query.EIO).toBe('4');
      expect(typeof f.handshake.issued).toBe('number');
    }
  });

  it('disconnectSockets disconnects exactly the selected sockets (server namespace disconnect)', async () => {
    const h = await startServer();
    const s = await setup(h);
    const all = { a: s.a, b: s.b, c: s.c, n: s.n };
    const reasons = expected.map((name) => waitFor(all[name as keyof typeof all], 'disconnect'));
    await select(h.io, s).disconnectSockets();
    expect(await Promise.all(reasons)).toEqual(expected.map(() => 'server namespace disconnect'));
    for (const [name, socket] of Object.entries(all))
      expect(socket.connected).toBe(!expected.includes(name));
  });
});

describe('disconnectSockets(close)', () => {
  it('false: the socket leaves its namespace, the connection stays for other namespaces', async () => {
    const h = await startServer();
    h.io.of('/other');
    const [main, socket] = await connectSocket(h);
    const other = main.io.socket('/other'); // the manager's sockets connect on their own (autoConnect)
    await waitFor(other, 'connect');
    const clientReason = waitFor(main, 'disconnect');
    await h.io.disconnectSockets();
    expect(await clientReason).toBe('io server disconnect');
    expect(socket.connected).toBe(false);
    expect(other.connected).toBe(true);
    expect(h.io.engine.clientsCount).toBe(1);
  });

  it('true: the whole low-level connection closes, every namespace of it goes', async () => {
    const h = await startServer();
    h.io.of('/other');
    const [main] = await connectSocket(h);
    const other = main.io.socket('/other'); // the manager's sockets connect on their own (autoConnect)
    await waitFor(other, 'connect');
    const otherSocket = h.io.of('/other').sockets.get(other.id!)!;
    const otherReason = waitFor(otherSocket, 'disconnect');
    const session = otherSocket.conn;
    const sessionClosed = waitFor(session, 'close');
    const managerClosed = waitFor(main.io, 'close');
    await h.io.disconnectSockets(true);
    expect(await otherReason).toBe('server namespace disconnect');
    await managerClosed;
    await sessionClosed;
    expect(session.readyState).toBe('closed');
  });
});

describe('fetchSockets results are usable', () => {
  it('emit, join, leave, disconnect, timeout().emit on what fetchSockets returns', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const [found] = await h.io.in(socket.id).fetchSockets();
    const got = waitFor(client, 'hello');
    found.emit('hello', 'via fetchSockets');
    expect(await got).toBe('via fetchSockets');
    await found.join('fetched-room');
    expect(socket.rooms.has('fetched-room')).toBe(true);
    await found.leave('fetched-room');
    expect(socket.rooms.has('fetched-room')).toBe(false);
    client.on('q', (ack: (v: string) => void) => ack('answer'));
    const [err, reply] = await new Promise<unknown[]>((resolve) =>
      found.timeout(1000).emit('q', (...a: unknown[]) => resolve(a)),
    );
    expect(err).toBeNull();
    expect(reply).toBe('answer');
    client.on('never', () => undefined);
    const [timeoutErr] = await new Promise<unknown[]>((resolve) =>
      found.timeout(20).emit('never', (...a: unknown[]) => resolve(a)),
    );
    expect((timeoutErr as Error).message).toBe('operation has timed out');
    const reason = waitForArgs(socket, 'disconnect');
    found.disconnect();
    expect((await reason)[0]).toBe('server namespace disconnect');
  });

  it('data written on the socket is seen by fetchSockets', async () => {
    const h = await startServer();
    h.io.on('connection', (socket) => {
      socket.data.user = { id: 7, name: 'kim' };
    });
    await connectSocket(h);
    const [found] = await h.io.fetchSockets();
    expect(found.data).toEqual({ user: { id: 7, name: 'kim' } });
  });

  it('allSockets returns the ids of the selection', async () => {
    const h = await startServer();
    const s = await setup(h);
    expect(namesOf(s, await h.io.allSockets())).toEqual(['a', 'b', 'c']);
    expect(namesOf(s, await h.io.in('r1').allSockets())).toEqual(['a', 'b']);
    expect(namesOf(s, await h.io.of('/ns').allSockets())).toEqual(['n']);
  });

  it('socketsJoin then emit to the room reaches the joined sockets (awaited in order)', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    await h.io.in(socket.id).socketsJoin('late');
    const got = waitFor(client, 'in-late');
    h.io.to('late').emit('in-late', 1);
    expect(await got).toBe(1);
  });
});

describe('serverSideEmit on a single server', () => {
  it('with an ack: (null, []) since there is no other server', async () => {
    const h = await startServer();
    const args = await new Promise<unknown[]>((resolve) =>
      h.io.serverSideEmit('hello', 1, (...a: unknown[]) => resolve(a)),
    );
    expect(args).toEqual([null, []]);
    await expect(h.io.serverSideEmitWithAck('hello')).resolves.toEqual([]);
    await expect(h.io.of('/x').serverSideEmitWithAck('hello')).resolves.toEqual([]);
  });
});

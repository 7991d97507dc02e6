// docs/internals/server-semantics.md, "Namespaces": static, regex and function namespaces; multiplexing; invalid namespaces.
import { Namespace, ParentNamespace, type Socket } from '../../src/server';
import { closeAll, connectSocket, connected, startServer, waitFor } from '../support/harness';

afterEach(closeAll);

describe('static namespaces', () => {
  it('io.of returns the same namespace each time; io.sockets is io.of("/")', async () => {
    const h = await startServer();
    expect(h.io.of('/orders')).toBe(h.io.of('/orders'));
    expect(h.io.of('orders')).toBe(h.io.of('/orders'));
    expect(h.io.sockets).toBe(h.io.of('/'));
    expect(h.io.of('/orders')).toBeInstanceOf(Namespace);
    expect(h.io.of('/orders').name).toBe('/orders');
  });

  it('announces new namespaces with new_namespace', async () => {
    const h = await startServer();
    const created = waitFor<Namespace>(h.io, 'new_namespace');
    const nsp = h.io.of('/fresh');
    expect(await created).toBe(nsp);
  });

  it('each namespace has its own connection event, sockets and middleware', async () => {
    const h = await startServer();
    const seenMain: string[] = [];
    const seenOrders: string[] = [];
    h.io.on('connection', (s) => seenMain.push(s.id));
    h.io.of('/orders').use((s, next) => {
      s.data.viaOrdersMiddleware = true;
      next();
    });
    h.io.of('/orders').on('connection', (s) => seenOrders.push(s.id));
    const [, main] = await connectSocket(h, '/');
    const [, orders] = await connectSocket(h, '/orders');
    expect(seenMain).toEqual([main.id]);
    expect(seenOrders).toEqual([orders.id]);
    expect(orders.data.viaOrdersMiddleware).toBe(true);
    expect(main.data.viaOrdersMiddleware).toBeUndefined();
    expect([...h.io.of('/orders').sockets.keys()]).toEqual([orders.id]);
    expect([...h.io.sockets.sockets.keys()]).toEqual([main.id]);
    expect(orders.nsp.name).toBe('/orders');
  });

  it('emits connect before connection, as socket.io 4.8 does', async () => {
    const h = await startServer();
    const order: string[] = [];
    h.io.of('/').on('connection', () => order.push('connection'));
    h.io.of('/').on('connect', () => order.push('connect'));
    await connectSocket(h);
    expect(order).toEqual(['connect', 'connection']);
  });

  it('one connection carries several namespaces (multiplexing), each with its own id', async () => {
    const h = await startServer();
    h.io.of('/a');
    h.io.of('/b');
    const a = h.connect('/a');
    const b = a.io.socket('/b'); // connects on its own (autoConnect)
    await connected(a, b);
    expect(a.io).toBe(b.io);
    const sa = h.io.of('/a').sockets.get(a.id!)!;
    const sb = h.io.of('/b').sockets.get(b.id!)!;
    expect(sa.conn).toBe(sb.conn);
    expect(sa.id).not.toBe(sb.id);
    expect(h.io.engine.clientsCount).toBe(1);
    // Events go to the right namespace.
    const got = waitFor(sb, 'hello');
    b.emit('hello', 'to-b');
    expect(await got).toBe('to-b');
  });

  it('refuses an unknown namespace with connect_error "Invalid namespace"; the connection keeps serving others', async () => {
    const h = await startServer();
    const bad = h.connect('/nope');
    const err = await waitFor<Error>(bad, 'connect_error');
    expect(err.message).toBe('Invalid namespace');
    expect(h.io.nsps.has('/nope')).toBe(false);
    // The same manager can still connect the main namespace.
    const good = bad.io.socket('/'); // connects on its own (autoConnect)
    await connected(good);
    expect(h.io.sockets.sockets.has(good.id!)).toBe(true);
  });
});

describe('dynamic namespaces', () => {
  it('a regex creates child namespaces on demand; socket.nsp.name is concrete', async () => {
    const h = await startServer();
    const parent = h.io.of(/^\/team-\d+$/);
    expect(parent).toBeInstanceOf(ParentNamespace);
    const childNames: string[] = [];
    parent.on('connection', (s: Socket) => childNames.push(s.nsp.name));
    const created = waitFor<Namespace>(h.io, 'new_namespace');
    const [, socket] = await connectSocket(h, '/team-42');
    expect(socket.nsp.name).toBe('/team-42');
    expect(socket.nsp).not.toBe(parent);
    expect((await created).name).toBe('/team-42');
    expect(childNames).toEqual(['/team-42']);
    // A second client reuses the child.
    const [, second] = await connectSocket(h, '/team-42');
    expect(second.nsp).toBe(socket.nsp);
    const err = await waitFor<Error>(h.connect('/team-x'), 'connect_error');
    expect(err.message).toBe('Invalid namespace');
  });

  it('a function decides with (name, auth, next); parent middlewares apply to children', async () => {
    const h = await startServer();
    const asked: unknown[] = [];
    const parent = h.io.of((name, auth, next) => {
      asked.push([name, auth]);
      next(null, auth.allow === true);
    });
    parent.use((socket, next) => {
      socket.data.checked = socket.nsp.name;
      next();
    });
    const [, socket] = await connectSocket(h, '/dyn-1', { auth: { allow: true } });
    expect(socket.nsp.name).toBe('/dyn-1');
    expect(socket.data.checked).toBe('/dyn-1');
    expect(asked).toEqual([['/dyn-1', { allow: true }]]);
    const err = await waitFor<Error>(
      h.connect('/dyn-2', { auth: { allow: false } }),
      'connect_error',
    );
    expect(err.message).toBe('Invalid namespace');
  });

  it('a matcher that errors or throws refuses the namespace', async () => {
    const h = await startServer();
    h.io.of((_name, _auth, next) => next(new Error('boom'), true));
    h.io.of((name, _auth, next) => {
      if (name === '/throws') throw new Error('matcher bug');
      next(null, false);
    });
    const err = await waitFor<Error>(h.connect('/anything'), 'connect_error');
    expect(err.message).toBe('Invalid namespace');
    const err2 = await waitFor<Error>(h.connect('/throws'), 'connect_error');
    expect(err2.message).toBe('Invalid namespace');
  });

  it('parent.emit reaches every child; parent.fetchSockets throws', async () => {
    const h = await startServer();
    const parent = h.io.of(/^\/room-\w+$/);
    const [a] = await connectSocket(h, '/room-a');
    const [b] = await connectSocket(h, '/room-b');
    const gotA = waitFor(a, 'news');
    const gotB = waitFor(b, 'news');
    parent.emit('news', 1);
    expect(await gotA).toBe(1);
    expect(await gotB).toBe(1);
    expect(() => parent.fetchSockets()).toThrow(
      'fetchSockets() is not supported on parent namespaces',
    );
  });

  it('parent.to(room).emit reaches the room in every child', async () => {
    const h = await startServer();
    const parent = h.io.of(/^\/room-\w+$/);
    parent.on('connection', (s: Socket) => {
      if (s.handshake.auth.vip) s.join('vip');
    });
    const [vipA] = await connectSocket(h, '/room-a', { auth: { vip: true } });
    const [plainA] = await connectSocket(h, '/room-a');
    const [vipB] = await connectSocket(h, '/room-b', { auth: { vip: true } });
    const plainGot = jest.fn();
    plainA.on('vip-news', plainGot);
    const gotA = waitFor(vipA, 'vip-news');
    const gotB = waitFor(vipB, 'vip-news');
    parent.to('vip').emit('vip-news', 'x');
    expect(await gotA).toBe('x');
    expect(await gotB).toBe('x');
    // A round trip on plainA proves the broadcast has been and gone without reaching it.
    const echo = waitFor(plainA, 'ping-back');
    h.io.of('/room-a').sockets.get(plainA.id!)!.emit('ping-back');
    await echo;
    expect(plainGot).not.toHaveBeenCalled();
  });

  it('cleanupEmptyChildNamespaces removes a child once its last socket leaves', async () => {
    const h = await startServer({ cleanupEmptyChildNamespaces: true });
    const parent = h.io.of(/^\/tmp-\d+$/);
    const [client, socket] = await connectSocket(h, '/tmp-1');
    const child = socket.nsp;
    expect(h.io.nsps.get('/tmp-1')).toBe(child);
    const gone = waitFor(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(h.io.nsps.has('/tmp-1')).toBe(false);
    expect((parent as ParentNamespace).children.has(child)).toBe(false);
    // Connecting again creates a fresh child.
    const [, again] = await connectSocket(h, '/tmp-1');
    expect(again.nsp).not.toBe(child);
  });

  it('without cleanupEmptyChildNamespaces the child stays', async () => {
    const h = await startServer();
    h.io.of(/^\/keep-\d+$/);
    const [client, socket] = await connectSocket(h, '/keep-1');
    const gone = waitFor(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(h.io.nsps.get('/keep-1')).toBe(socket.nsp);
  });
});

// docs/internals/server-semantics.md, "Connection middlewares": connection middlewares (io.use / nsp.use) and per-packet middlewares (socket.use).
import type { Socket } from '../../src/server';
import { closeAll, connectSocket, startServer, waitFor, waitForArgs } from '../support/harness';

afterEach(closeAll);

describe('connection middlewares', () => {
  it('run in order, once per attempt, before connection; they see handshake and request', async () => {
    const h = await startServer();
    const order: string[] = [];
    h.io.use((socket, next) => {
      order.push('first');
      expect(socket.connected).toBe(false);
      expect(h.io.sockets.sockets.has(socket.id)).toBe(false);
      expect(socket.handshake.auth).toEqual({ token: 'abc' });
      expect(socket.request.url).toContain('EIO=4');
      next();
    });
    h.io.use((_socket, next) => {
      order.push('second');
      setTimeout(next, 1); // asynchronous middlewares are awaited
    });
    h.io.on('connection', () => order.push('connection'));
    await connectSocket(h, '/', { auth: { token: 'abc' } });
    expect(order).toEqual(['first', 'second', 'connection']);
  });

  it('next(err) refuses: the client gets connect_error with message and data; no connection, no rooms', async () => {
    const h = await startServer();
    const joinedRooms: string[] = [];
    h.io.of('/').adapter.on('join-room', (room: string) => joinedRooms.push(room));
    let refused: Socket | undefined;
    h.io.use((socket, next) => {
      refused = socket;
      socket.join('should-not-stay');
      const err = new Error('not authorized') as Error & { data?: unknown };
      err.data = { code: 42, hint: 'log in' };
      next(err);
    });
    const onConnection = jest.fn();
    h.io.on('connection', onConnection);
    const client = h.connect();
    const err = (await waitFor(client, 'connect_error')) as Error & { data?: unknown };
    expect(err.message).toBe('not authorized');
    expect(err.data).toEqual({ code: 42, hint: 'log in' });
    expect(onConnection).not.toHaveBeenCalled();
    expect(h.io.sockets.sockets.size).toBe(0);
    expect(joinedRooms).toEqual(['should-not-stay']);
    expect(h.io.of('/').adapter.rooms.size).toBe(0);
    expect(refused!.connected).toBe(false);
  });

  it('an error without data reaches the client with data undefined', async () => {
    const h = await startServer();
    h.io.use((_socket, next) => next(new Error('nope')));
    const err = (await waitFor(h.connect(), 'connect_error')) as Error & { data?: unknown };
    expect(err.message).toBe('nope');
    expect(err.data).toBeUndefined();
  });

  it('a throwing middleware refuses the connection with its message', async () => {
    const h = await startServer();
    h.io.use(() => {
      throw new Error('middleware bug');
    });
    const err = (await waitFor(h.connect(), 'connect_error')) as Error;
    expect(err.message).toBe('middleware bug');
  });

  it('a later middleware does not run after a refusal; the session stays open for a retry', async () => {
    const h = await startServer();
    const second = jest.fn((_s: Socket, next: () => void) => next());
    h.io.use((socket, next) => (socket.handshake.auth.ok ? next() : next(new Error('bad'))));
    h.io.use(second);
    const client = h.connect('/', { auth: { ok: false } });
    await waitFor(client, 'connect_error');
    expect(second).not.toHaveBeenCalled();
    // The Engine.IO session stays open: reconnect the namespace on it with good auth.
    (client as unknown as { auth: unknown }).auth = { ok: true };
    client.connect();
    await waitFor(client, 'connect');
    expect(second).toHaveBeenCalledTimes(1);
    expect(h.io.engine.clientsCount).toBe(1);
  });

  it('namespace middlewares apply to their namespace only', async () => {
    const h = await startServer();
    h.io.of('/admin').use((_s, next) => next(new Error('admins only')));
    await connectSocket(h, '/');
    const err = (await waitFor(h.connect('/admin'), 'connect_error')) as Error;
    expect(err.message).toBe('admins only');
  });

  it('no connection event when the client is gone before the middlewares finish', async () => {
    const h = await startServer();
    let release!: () => void;
    const entered = new Promise<void>((resolve) =>
      h.io.use((_s, next) => {
        release = next;
        resolve();
      }),
    );
    const onConnection = jest.fn();
    h.io.on('connection', onConnection);
    const client = h.connect();
    await entered;
    const sessionClosed = new Promise<void>((resolve) => {
      const [session] = h.io.engine.clients.values();
      session.once('close', () => resolve());
    });
    client.disconnect();
    await sessionClosed;
    release();
    expect(onConnection).not.toHaveBeenCalled();
    expect(h.io.sockets.sockets.size).toBe(0);
  });
});

describe('per-packet middlewares (socket.use)', () => {
  it('see [event, ...args] before the listeners and can change args', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const seen: unknown[] = [];
    socket.use((packet, next) => {
      seen.push([...packet]);
      packet[1] = 'changed';
      next();
    });
    const got = waitFor(socket, 'msg');
    client.emit('msg', 'original');
    expect(await got).toBe('changed');
    expect(seen).toEqual([['msg', 'original']]);
  });

  it('next(err) drops the event and emits error on the server socket', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.use(([event], next) =>
      event === 'forbidden' ? next(new Error('not allowed')) : next(),
    );
    const dropped = jest.fn();
    socket.on('forbidden', dropped);
    const err = waitFor<Error>(socket, 'error');
    client.emit('forbidden', 1);
    expect((await err).message).toBe('not allowed');
    const allowed = waitFor(socket, 'allowed');
    client.emit('allowed', 2);
    expect(await allowed).toBe(2);
    expect(dropped).not.toHaveBeenCalled();
    expect(socket.connected).toBe(true);
  });

  it('a throwing per-packet middleware is reported as error, the socket stays', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.use(() => {
      throw new Error('use bug');
    });
    const err = waitFor<Error>(socket, 'error');
    client.emit('x');
    expect((await err).message).toBe('use bug');
    expect(socket.connected).toBe(true);
  });

  it('run in order, asynchronously too; the ack still works', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const order: string[] = [];
    socket.use((_p, next) => {
      order.push('a');
      setTimeout(next, 1);
    });
    socket.use((_p, next) => {
      order.push('b');
      next();
    });
    socket.on('q', (x: number, ack: (v: number) => void) => {
      order.push('handler');
      ack(x + 1);
    });
    expect(await client.emitWithAck('q', 1)).toBe(2);
    expect(order).toEqual(['a', 'b', 'handler']);
  });

  it('error event args carry the Error object', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.use((_p, next) => next(Object.assign(new Error('typed'), { data: { why: 1 } })));
    const args = waitForArgs(socket, 'error');
    client.emit('x');
    const [err] = (await args) as [Error & { data?: unknown }];
    expect(err.data).toEqual({ why: 1 });
  });
});

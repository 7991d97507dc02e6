// What a socket builds on first use (docs/benchmarks.md, finding 4) reads the same as when it
// was built eagerly: socket.handshake, socket.data, several namespaces on one connection and
// the binary decoder that a connection makes only when a binary packet arrives.
import { closeRawClients, rawConnect } from '../support/raw-client';
import { closeAll, connectSocket, startServer, waitFor } from '../support/harness';
import type { Socket } from '../../src/server';

afterEach(async () => {
  closeRawClients();
  await closeAll();
});

describe('socket.handshake built on first access', () => {
  it('is the same object on every read, and a change to it stays', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/?k=v');
    const first = socket.handshake;
    expect(socket.handshake).toBe(first);
    expect(first.query).toBe(socket.handshake.query);
    first.auth.added = 1;
    expect(socket.handshake.auth.added).toBe(1);
  });

  it('issued is the time the connection was made, even when first read much later', async () => {
    const h = await startServer();
    const before = Date.now();
    const [, socket] = await connectSocket(h);
    const after = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const hs = socket.handshake;
    expect(hs.issued).toBeGreaterThanOrEqual(before);
    expect(hs.issued).toBeLessThanOrEqual(after);
    expect(hs.time).toBe(new Date(hs.issued).toString());
  });

  it('middlewares and connection listeners see it; it keeps the CONNECT auth', async () => {
    const h = await startServer();
    const seen: unknown[] = [];
    h.io.use((socket, next) => {
      seen.push(socket.handshake.auth);
      next();
    });
    const connection = waitFor<Socket>(h.io, 'connection');
    const [, socket] = await connectSocket(h, '/', { auth: { token: 't' } });
    expect(await connection).toBe(socket);
    expect(seen).toEqual([{ token: 't' }]);
    expect(socket.handshake.auth).toBe(seen[0]);
  });

  it('still has the address and the rest when first read after the disconnect', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h, '/?q=1', { auth: { a: 1 } });
    const gone = waitFor(socket, 'disconnect');
    client.disconnect();
    await gone;
    const hs = socket.handshake;
    expect(hs.address).toMatch(/127\.0\.0\.1$/);
    expect(hs.query.q).toBe('1');
    expect(hs.auth).toEqual({ a: 1 });
    expect(hs.headers.host).toBe(`127.0.0.1:${h.port}`);
  });

  it('fetchSockets() details carry it', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/?room=x');
    const [found] = await h.io.fetchSockets();
    expect(found.handshake).toEqual(socket.handshake);
    expect(socket.toDetails().handshake.query.room).toBe('x');
  });
});

describe('socket.data', () => {
  it('starts as an empty object that keeps what is put in it', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    expect(socket.data).toEqual({});
    socket.data.user = { id: 7, name: 'kim' };
    expect(socket.data).toEqual({ user: { id: 7, name: 'kim' } });
    expect(socket.data).toBe(socket.data);
  });

  it('keeps an assigned value, null and undefined included', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    const bag = { role: 'admin' };
    socket.data = bag;
    expect(socket.data).toBe(bag);
    socket.data = null;
    expect(socket.data).toBeNull();
    socket.data = undefined;
    expect(socket.data).toBeUndefined();
  });

  it('set in a middleware, it is returned by fetchSockets()', async () => {
    const h = await startServer();
    h.io.use((socket, next) => {
      socket.data = { fromMiddleware: true };
      next();
    });
    await connectSocket(h);
    const [found] = await h.io.fetchSockets();
    expect(found.data).toEqual({ fromMiddleware: true });
  });

  it('is not an own key of the socket before use (internals never add keys to it)', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    expect(Object.keys(socket.data as object)).toEqual([]);
  });
});

describe('several namespaces on one connection', () => {
  it('each gets its own socket and events, in any connect and leave order', async () => {
    const h = await startServer();
    for (const name of ['/a', '/b', '/c']) {
      h.io
        .of(name)
        .on('connection', (s) => s.on('who', (ack: (n: string) => void) => ack(s.nsp.name)));
    }
    const [client] = await connectSocket(h, '/a');
    const b = client.io.socket('/b');
    await waitFor(b, 'connect');
    expect(await b.emitWithAck('who')).toBe('/b');
    // The first namespace leaves; a third one joins while the second is still there.
    client.disconnect();
    const c = client.io.socket('/c');
    await waitFor(c, 'connect');
    expect(await c.emitWithAck('who')).toBe('/c');
    expect(await b.emitWithAck('who')).toBe('/b');
    // The first namespace again, on the same connection.
    client.connect();
    await waitFor(client, 'connect');
    expect(await client.emitWithAck('who')).toBe('/a');
    expect(h.io.of('/a').sockets.size).toBe(1);
    expect(h.io.of('/b').sockets.size).toBe(1);
    expect(h.io.of('/c').sockets.size).toBe(1);
  });

  it('disconnect(true) on one socket disconnects every namespace of the connection', async () => {
    const h = await startServer();
    h.io.of('/b');
    const [client, main] = await connectSocket(h);
    const b = client.io.socket('/b');
    await waitFor(b, 'connect');
    const serverB = h.io.of('/b').sockets.get(b.id!)!;
    const order: string[] = [];
    main.on('disconnect', (reason) => order.push(`/ ${reason}`));
    serverB.on('disconnect', (reason) => order.push(`/b ${reason}`));
    const done = waitFor(serverB, 'disconnect');
    main.disconnect(true);
    await done;
    expect(order).toEqual(['/ server namespace disconnect', '/b server namespace disconnect']);
  });

  it('a second CONNECT for a connected namespace still ends the session (raw wire)', async () => {
    const h = await startServer();
    const raw = await rawConnect(h.port);
    raw.send('40');
    expect(await raw.next()).toMatch(/^40\{"sid":/);
    raw.send('40');
    await raw.closed;
  });
});

describe('binary packets on a connection that only had text so far', () => {
  it('decodes a binary event and its attachment (raw wire)', async () => {
    const h = await startServer();
    const received = new Promise<unknown[]>((resolve) =>
      h.io.on('connection', (s) => s.on('up', (...args: unknown[]) => resolve(args))),
    );
    const raw = await rawConnect(h.port);
    raw.send('40');
    await raw.next();
    raw.send('42["text",1]');
    raw.send('451-["up",{"_placeholder":true,"num":0}]');
    raw.send(Buffer.from([1, 2, 3]));
    const [payload] = await received;
    expect(Buffer.isBuffer(payload)).toBe(true);
    expect([...(payload as Buffer)]).toEqual([1, 2, 3]);
  });

  it('text while an attachment is due ends the session (raw wire)', async () => {
    const h = await startServer();
    const raw = await rawConnect(h.port);
    raw.send('40');
    await raw.next();
    raw.send('451-["up",{"_placeholder":true,"num":0}]');
    raw.send('42["text"]');
    await raw.closed;
  });

  it('a binary frame without a header ends the session (raw wire)', async () => {
    const h = await startServer();
    const raw = await rawConnect(h.port);
    raw.send('40');
    await raw.next();
    raw.send(Buffer.from([1]));
    await raw.closed;
  });
});

// docs/internals/server-semantics.md, "Sockets and events" (disconnect) and docs/internals/wire-protocol.md, "Disconnect reasons": every disconnect reason we can
// provoke, disconnecting seeing rooms, disconnect(true).
import {
  closeAll,
  connectSocket,
  isWebSocketOnly,
  startServer,
  waitFor,
  waitForArgs,
} from '../support/harness';
import { closeRawClients, rawConnect } from '../support/raw-client';

afterEach(async () => {
  closeRawClients();
  await closeAll();
});

describe('disconnect reasons', () => {
  it('server namespace disconnect: socket.disconnect(); the client sees "io server disconnect"', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const server = waitForArgs(socket, 'disconnect');
    const clientSide = waitFor(client, 'disconnect');
    expect(socket.disconnect()).toBe(socket);
    expect((await server)[0]).toBe('server namespace disconnect');
    expect(await clientSide).toBe('io server disconnect');
    expect(socket.connected).toBe(false);
    expect(socket.disconnected).toBe(true);
    expect(h.io.sockets.sockets.size).toBe(0);
    socket.disconnect(); // a second call is harmless
  });

  it('client namespace disconnect: the client leaves; the connection and other namespaces stay', async () => {
    const h = await startServer();
    h.io.of('/b');
    const [client, socket] = await connectSocket(h);
    const b = client.io.socket('/b');
    await waitFor(b, 'connect');
    const reason = waitFor(socket, 'disconnect');
    client.disconnect();
    expect(await reason).toBe('client namespace disconnect');
    expect(h.io.of('/b').sockets.size).toBe(1);
    expect(h.io.engine.clientsCount).toBe(1);
  });

  it('server shutting down: io.close()', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const reason = waitFor(socket, 'disconnect');
    const clientSide = waitFor(client, 'disconnect');
    await h.io.close();
    expect(await reason).toBe('server shutting down');
    // Over polling the client may see its in-flight request fail first ('transport error').
    expect(await clientSide).toEqual(
      isWebSocketOnly() ? 'transport close' : expect.stringMatching(/^transport (close|error)$/),
    );
  });

  it('transport close: the client connection goes away', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const reason = waitFor(socket, 'disconnect');
    client.io.engine.close();
    expect(await reason).toBe('transport close');
  });

  it('ping timeout: a client that does not answer pings (raw ws; the official client always answers)', async () => {
    const h = await startServer({ pingInterval: 30, pingTimeout: 30 });
    const raw = await rawConnect(h.port);
    raw.send('40');
    expect(await raw.nextMatching((f) => typeof f === 'string' && f.startsWith('40'))).toMatch(
      /^40\{"sid":"[\w-]{20}"\}$/,
    );
    const [socket] = h.io.sockets.sockets.values();
    const reason = waitFor(socket, 'disconnect');
    expect(await reason).toBe('ping timeout');
    await raw.closed;
  });

  it('heartbeat: a client that answers pings stays connected past several ping intervals', async () => {
    const h = await startServer({ pingInterval: 20, pingTimeout: 40 });
    const [client, socket] = await connectSocket(h);
    let beats = 0;
    await new Promise<void>((resolve) =>
      socket.conn.on('heartbeat', () => {
        if (++beats === 3) resolve();
      }),
    );
    expect(socket.connected).toBe(true);
    expect(client.connected).toBe(true);
  });

  it('forced close: a packet the decoder rejects (socket error event first)', async () => {
    const h = await startServer();
    const raw = await rawConnect(h.port, { answerPings: true });
    raw.send('40');
    await raw.next();
    const [socket] = h.io.sockets.sockets.values();
    const error = waitFor<Error>(socket, 'error');
    const reason = waitFor(socket, 'disconnect');
    raw.send('42{"not":"an array"}');
    expect((await error).message).toBe('invalid payload');
    expect(await reason).toBe('forced close');
  });

  it('forced server close: an event for a namespace this connection is not in', async () => {
    const h = await startServer();
    h.io.of('/b');
    const raw = await rawConnect(h.port, { answerPings: true });
    raw.send('40');
    await raw.next();
    const [socket] = h.io.sockets.sockets.values();
    const reason = waitFor(socket, 'disconnect');
    raw.send('42/b,["x"]');
    expect(await reason).toBe('forced server close');
    await raw.closed;
  });

  it('disconnecting fires with the rooms still populated, then disconnect with empty rooms', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.join(['r1', 'r2']);
    let roomsWhileDisconnecting: Set<string> | undefined;
    socket.on('disconnecting', () => {
      roomsWhileDisconnecting = new Set(socket.rooms);
    });
    const disconnected = new Promise<Set<string>>((resolve) =>
      socket.on('disconnect', () => resolve(new Set(socket.rooms))),
    );
    client.disconnect();
    expect(await disconnected).toEqual(new Set());
    expect(roomsWhileDisconnecting).toEqual(new Set([socket.id, 'r1', 'r2']));
  });

  it('disconnect(true): every namespace of the connection gets server namespace disconnect, then the connection closes', async () => {
    const h = await startServer();
    h.io.of('/b');
    const [client, socket] = await connectSocket(h);
    const b = client.io.socket('/b');
    await waitFor(b, 'connect');
    const sb = h.io.of('/b').sockets.get(b.id!)!;
    const reasons = Promise.all([waitFor(socket, 'disconnect'), waitFor(sb, 'disconnect')]);
    const closed = new Promise((resolve) => socket.conn.once('close', resolve));
    socket.disconnect(true);
    expect(await reasons).toEqual(['server namespace disconnect', 'server namespace disconnect']);
    await closed;
    expect(socket.conn.readyState).toBe('closed');
  });

  it('disconnect listeners get a description as second argument for transport errors', async () => {
    const h = await startServer({ maxHttpBufferSize: 100 });
    if (!isWebSocketOnly()) return; // a frame over maxPayload is a WebSocket notion
    const [client, socket] = await connectSocket(h);
    const args = waitForArgs(socket, 'disconnect');
    client.emit('big', 'x'.repeat(500));
    const [reason] = await args;
    expect(reason).toBe('transport error');
  });

  it('a throwing disconnect listener does not stop the sequence or the process', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.on('error', () => undefined);
    socket.on('disconnecting', () => {
      throw new Error('listener bug');
    });
    const reason = waitFor(socket, 'disconnect');
    client.disconnect();
    expect(await reason).toBe('client namespace disconnect');
    expect(h.io.of('/').adapter.rooms.size).toBe(0);
  });

  it('pending acks under timeout fail at once with "socket has been disconnected", after the disconnect event', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('never', () => client.disconnect());
    const order: string[] = [];
    socket.on('disconnect', () => order.push('disconnect'));
    const started = Date.now();
    const result = await new Promise<unknown[]>((resolve) =>
      socket.timeout(10000).emit('never', (...a: unknown[]) => {
        order.push('ack');
        resolve(a);
      }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect((result[0] as Error).message).toBe('socket has been disconnected');
    expect((result[0] as { code?: string }).code).toBe('WG_ERR_ACK_TIMEOUT');
    expect(order).toEqual(['disconnect', 'ack']);
  });

  it('io.close() leaves no ack timer behind: emitWithAck under timeout rejects at once', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    const rejected = expect(socket.timeout(10000).emitWithAck('never-answered')).rejects.toThrow(
      'socket has been disconnected',
    );
    await h.io.close();
    await rejected;
  });
});

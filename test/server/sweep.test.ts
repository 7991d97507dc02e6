// Issue 15: behaviour of a socket around its disconnection and of a client's `error` event,
// each compared with socket.io 4.8 where a socket.io server can run the same scenario.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer, type Socket as SocketIoSocket } from 'socket.io';
import { io as ioc, type Socket as ClientSocket } from 'socket.io-client';
import { Adapter } from 'socket.io-adapter';
import type { AdapterConstructor } from '../../src/server';
import {
  closeAll,
  connected,
  connectSocket,
  defaultTransports,
  startServer,
  waitFor,
} from '../support/harness';

afterEach(closeAll);

/** Longest wait for an event in these tests. */
const WAIT_MS = 2000;

/** Rejects after `ms` so that no await hangs the suite. */
function bounded<T>(p: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([p, cap]).finally(() => clearTimeout(timer));
}

/** A socket.io 4.8 server and one connected client with its server-side socket. */
async function socketIoPair(): Promise<{
  io: SocketIoServer;
  client: ClientSocket;
  socket: SocketIoSocket;
  close(): Promise<void>;
}> {
  const http = createServer();
  const io = new SocketIoServer(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const serverSide = waitFor<SocketIoSocket>(io, 'connection');
  const client = ioc(`http://127.0.0.1:${port}`, {
    transports: defaultTransports(),
    forceNew: true,
    reconnection: false,
  });
  await bounded(connected(client), 'socket.io connect');
  const socket = await bounded(serverSide, 'socket.io connection');
  return {
    io,
    client,
    socket,
    close: async () => {
      client.disconnect();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

describe('issue 15: a disconnected socket', () => {
  it('join() after disconnect is a no-op (no dead id left in adapter.rooms/sids), as in socket.io', async () => {
    const ref = await socketIoPair();
    try {
      const refGone = waitFor(ref.socket, 'disconnect');
      ref.client.disconnect();
      await bounded(refGone, 'socket.io disconnect');
      void ref.socket.join('late');
      void ref.socket.leave('late');
      expect(ref.io.of('/').adapter.rooms.has('late')).toBe(false);
      expect(ref.io.of('/').adapter.sids.has(ref.socket.id)).toBe(false);
    } finally {
      await ref.close();
    }

    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const gone = waitFor(socket, 'disconnect');
    client.disconnect();
    await bounded(gone, 'disconnect');
    void socket.join(['late', 'later']);
    void socket.leave('late');
    const adapter = h.io.of('/').adapter;
    expect(adapter.rooms.has('late')).toBe(false);
    expect(adapter.rooms.has('later')).toBe(false);
    expect(adapter.sids.has(socket.id)).toBe(false);
    expect(socket.rooms).toEqual(new Set());
  });

  it('a packet after a disconnect done by a catch-all listener or a middleware reaches no listener', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const heard: string[] = [];
    socket.onAny((ev: string) => {
      if (ev === 'bye') socket.disconnect();
    });
    socket.on('bye', () => heard.push('bye'));
    socket.on('after', () => heard.push('after'));
    const gone = waitFor(client, 'disconnect');
    client.emit('bye');
    client.emit('after');
    await bounded(gone, 'client disconnect');
    expect(heard).toEqual([]);

    const [client2, socket2] = await connectSocket(h);
    const heard2: string[] = [];
    socket2.use((_event, next) => {
      // The socket goes away while the middleware still runs; `next` comes after.
      socket2.disconnect();
      next();
    });
    socket2.on('x', () => heard2.push('x'));
    const gone2 = waitFor(client2, 'disconnect');
    client2.emit('x');
    await bounded(gone2, 'client disconnect');
    expect(heard2).toEqual([]);
  });
});

describe('issue 15: leaveAll', () => {
  it('leaveAll() leaves every room, its own included, as socket.io does', async () => {
    const ref = await socketIoPair();
    try {
      void ref.socket.join(['a', 'b']);
      // Public in socket.io's JavaScript, typed private there.
      (ref.socket as unknown as { leaveAll(): void }).leaveAll();
      expect(ref.socket.rooms).toEqual(new Set());
      expect(ref.io.of('/').adapter.rooms.has('a')).toBe(false);
    } finally {
      await ref.close();
    }

    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    void socket.join(['a', 'b']);
    socket.leaveAll();
    const adapter = h.io.of('/').adapter;
    expect(socket.rooms).toEqual(new Set());
    expect(adapter.rooms.has('a')).toBe(false);
    expect(adapter.rooms.has(socket.id)).toBe(false);
    // Still connected: it can join again.
    void socket.join('c');
    expect(socket.rooms).toEqual(new Set(['c']));
    expect(client.connected).toBe(true);
  });
});

describe("issue 15: a client's `error` event", () => {
  it('without an `error` listener: no throw, no warning, the socket stays usable, as in socket.io', async () => {
    // Jest's `process` does not relay 'warning' events: the call itself is watched.
    const emitWarning = jest.spyOn(process, 'emitWarning');
    try {
      const ref = await socketIoPair();
      try {
        ref.socket.on('ping', (ack: (v: string) => void) => ack('pong'));
        for (let i = 0; i < 3; i++) ref.client.emit('error', 'boom');
        await expect(bounded(ref.client.emitWithAck('ping'), 'socket.io ack')).resolves.toBe(
          'pong',
        );
        expect(ref.client.connected).toBe(true);
      } finally {
        await ref.close();
      }

      const h = await startServer();
      const [client, socket] = await connectSocket(h);
      socket.on('ping', (ack: (v: string) => void) => ack('pong'));
      for (let i = 0; i < 3; i++) client.emit('error', 'boom');
      await expect(bounded(client.emitWithAck('ping'), 'ack')).resolves.toBe('pong');
      expect(client.connected).toBe(true);
      expect(emitWarning).not.toHaveBeenCalled();
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('with an `error` listener, the listener hears the client event', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const heard = waitFor(socket, 'error');
    client.emit('error', 'boom');
    await expect(bounded(heard, 'error event')).resolves.toBe('boom');
  });
});

describe('issue 15: broadcast acks that time out', () => {
  /**
   * A client that never answers `ask`: broadcasts under a short timeout, then a direct
   * `emitWithAck` the client does answer must not be refused for the dead broadcast entries.
   */
  async function scenario(adapter?: AdapterConstructor): Promise<void> {
    const h = await startServer(
      adapter === undefined ? { maxPendingAcks: 3 } : { maxPendingAcks: 3, adapter },
    );
    const [client, socket] = await connectSocket(h);
    // The client listens but never calls the ack.
    client.on('ask', () => undefined);
    client.on('direct', (ack: (v: string) => void) => ack('ok'));
    for (let i = 0; i < 5; i++) {
      await expect(
        bounded(h.io.timeout(20).emitWithAck('ask'), 'broadcast timeout'),
      ).rejects.toThrow('operation has timed out');
      await expect(
        bounded(h.io.to(socket.id).timeout(20).emitWithAck('ask'), 'room broadcast timeout'),
      ).rejects.toThrow('operation has timed out');
    }
    expect(socket.acks.size).toBe(0);
    await expect(bounded(socket.timeout(1000).emitWithAck('direct'), 'direct ack')).resolves.toBe(
      'ok',
    );
    // A broadcast every recipient answered leaves nothing behind either.
    client.on('fine', (ack: (v: string) => void) => ack('yes'));
    await expect(
      bounded(h.io.timeout(1000).emitWithAck('fine'), 'answered broadcast'),
    ).resolves.toEqual(['yes']);
    expect(socket.acks.size).toBe(0);
  }

  it("leave no entry in the recipients' ack registries (in-memory adapter)", async () => {
    await scenario();
  });

  it('leave no entry when a socket.io-adapter adapter registers them with socket.acks.set', async () => {
    await scenario(Adapter as unknown as AdapterConstructor);
  });
});

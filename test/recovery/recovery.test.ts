// Connection state recovery on one server, compared with socket.io 4.8: a client loses its
// transport, the server broadcasts to it and to its rooms meanwhile, the client comes back
// within the window and gets its id, rooms, data and every missed packet once, in order.
import {
  closeRunning,
  dropConnection,
  next,
  nextServerSocket,
  recordEvents,
  startSocketIo,
  startWiregate,
  type Running,
  type Transport,
} from './support';

afterEach(closeRunning);

const OPTIONS = { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } };

/** What one run of the scenario observed, on both sides. */
interface Observed {
  disconnectReason: string;
  firstRecovered: boolean;
  recovered: boolean;
  sameId: boolean;
  serverRecovered: boolean;
  serverRooms: string[];
  serverData: unknown;
  middlewareRuns: number;
  connectionEvents: number;
  received: unknown[][];
  secondRound: { recovered: boolean; received: unknown[][] };
}

async function scenario(server: Running, transport: Transport): Promise<Observed> {
  const { io } = server;
  let middlewareRuns = 0;
  let connectionEvents = 0;
  io.use((_socket, next) => {
    middlewareRuns++;
    next();
  });
  io.on('connection', (socket) => {
    connectionEvents++;
    if (socket.recovered) return;
    socket.join(['room1', 'room2']);
    socket.data = { user: 'ann', visits: 1 };
  });
  const firstSocket = nextServerSocket(server);
  const client = server.connect(transport);
  const received = recordEvents(client);
  await next(client, 'connect');
  const firstRecovered = client.recovered;
  const serverSocket = await firstSocket;
  const firstId = client.id;
  // The client records an offset from the first packet it gets.
  io.to('room1').emit('before', 0);
  await next(client, 'before');

  const disconnectReason = await dropConnection(client, serverSocket);
  const sid = serverSocket.id;
  io.to('room1').emit('room', 1);
  io.emit('all', 2, { nested: [true] });
  io.to(sid).emit('direct', 3);
  serverSocket.emit('toOldSocket', 4);
  io.volatile.emit('volatile', 5);
  io.to('elsewhere').emit('notForIt', 6);
  io.except('room2').emit('excluded', 7);
  io.emit('binary', Buffer.from([1, 2, 3]));
  io.timeout(1000).emit('withAck', 8, () => undefined);
  io.local.emit('localOnly', 13);
  io.to('room2').emit('last', 9);

  const restored = nextServerSocket(server);
  received.length = 0;
  client.connect();
  await next(client, 'connect');
  const recovered = client.recovered;
  const sameId = client.id === firstId;
  const socket = await restored;
  // Rooms came back: a broadcast to one of them reaches the client.
  io.to('room2').emit('after', 10);
  await next(client, 'after');
  const afterRecovery = [...received];

  // A second loss: only what was sent since is replayed (nothing twice).
  await dropConnection(client, socket);
  io.to('room1').emit('again', 11);
  const third = nextServerSocket(server);
  received.length = 0;
  client.connect();
  await next(client, 'connect');
  await third;
  io.to('room1').emit('done', 12);
  await next(client, 'done');

  return {
    disconnectReason,
    firstRecovered,
    recovered,
    sameId,
    serverRecovered: socket.recovered,
    serverRooms: [...socket.rooms].filter((r) => r !== socket.id).sort(),
    serverData: socket.data,
    middlewareRuns,
    connectionEvents,
    received: afterRecovery,
    secondRound: { recovered: client.recovered, received: [...received] },
  };
}

describe.each<Transport>(['websocket', 'polling'])(
  'connection state recovery over %s',
  (transport) => {
    it('restores id, rooms, data and every missed packet once, in order, as socket.io 4.8 does', async () => {
      const wiregate = await scenario(await startWiregate(OPTIONS), transport);
      const reference = await scenario(await startSocketIo(OPTIONS), transport);
      expect(wiregate).toEqual(reference);
      // And what that is, so that a change on both sides is noticed too.
      expect(wiregate.recovered).toBe(true);
      expect(wiregate.firstRecovered).toBe(false);
      expect(wiregate.sameId).toBe(true);
      expect(wiregate.serverRooms).toEqual(['room1', 'room2']);
      expect(wiregate.serverData).toEqual({ user: 'ann', visits: 1 });
      expect(wiregate.middlewareRuns).toBe(1);
      expect(wiregate.connectionEvents).toBe(3);
      expect(wiregate.received.map(([name]) => name)).toEqual([
        'room',
        'all',
        'direct',
        'toOldSocket',
        'binary',
        // socket.io 4.8's in-memory adapter stores `local` broadcasts too (one server: local is all).
        'localOnly',
        'last',
        'after',
      ]);
      expect(wiregate.secondRound.recovered).toBe(true);
      expect(wiregate.secondRound.received.map(([name]) => name)).toEqual(['again', 'done']);
    });
  },
);

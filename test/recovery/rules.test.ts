// When a session is (not) recovered, on wiregate and on socket.io 4.8 side by side: past the
// window, after a deliberate disconnect by either side; and the middlewares per skipMiddlewares.
import {
  closeRunning,
  dropConnection,
  next,
  nextServerSocket,
  recordEvents,
  startSocketIo,
  startWiregate,
  within,
  type AnyServerSocket,
  type Running,
  type Transport,
} from './support';

afterEach(closeRunning);

type Start = (opts: Record<string, unknown>) => Promise<Running>;
const servers: [string, Start][] = [
  ['wiregate', (opts) => startWiregate(opts)],
  ['socket.io 4.8', (opts) => startSocketIo(opts)],
];

/** Connects, gives the client an offset, and returns both ends. */
async function connectWithOffset(
  server: Running,
  transport: Transport,
): Promise<{ client: ReturnType<Running['connect']>; socket: AnyServerSocket }> {
  const connection = nextServerSocket(server);
  const client = server.connect(transport);
  await next(client, 'connect');
  const socket = await connection;
  socket.join('room');
  server.io.to('room').emit('offset', 1);
  await next(client, 'offset');
  return { client, socket };
}

/** Reconnects and reports whether the session came back, and what was replayed. */
async function reconnect(
  server: Running,
  client: ReturnType<Running['connect']>,
): Promise<{ recovered: boolean; serverRecovered: boolean; replayed: string[] }> {
  const seen = recordEvents(client);
  const connection = nextServerSocket(server);
  client.connect();
  await next(client, 'connect');
  const socket = await connection;
  // Whatever was replayed came before `connect`; a round trip makes sure nothing is in flight.
  server.io.to(socket.id).emit('mark', 0);
  await next(client, 'mark');
  return {
    recovered: client.recovered,
    serverRecovered: socket.recovered,
    replayed: seen.map(([name]) => name as string).filter((name) => name !== 'mark'),
  };
}

describe.each<Transport>(['websocket', 'polling'])('recovery rules over %s', (transport) => {
  it('past maxDisconnectionDuration the client gets a fresh session (both servers)', async () => {
    const window = 150;
    const results = [];
    for (const [, start] of servers) {
      const server = await start({ connectionStateRecovery: { maxDisconnectionDuration: window } });
      const { client, socket } = await connectWithOffset(server, transport);
      const id = client.id;
      await dropConnection(client, socket);
      server.io.to('room').emit('missed', 2);
      const lostAt = Date.now();
      // The subject of the test is time passing: wait out the window (no event marks it).
      await new Promise((resolve) => setTimeout(resolve, window + 100));
      expect(Date.now() - lostAt).toBeGreaterThan(window);
      const result = await reconnect(server, client);
      results.push({ ...result, sameId: client.id === id });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual({
      recovered: false,
      serverRecovered: false,
      replayed: [],
      sameId: false,
    });
  });

  it.each([
    ['the client disconnects its socket', 'io client disconnect'],
    ['the server disconnects the socket', 'io server disconnect'],
  ])('no recovery when %s (both servers)', async (_title, clientReason) => {
    const results = [];
    for (const [, start] of servers) {
      const server = await start({ connectionStateRecovery: {} });
      const { client, socket } = await connectWithOffset(server, transport);
      const serverSide = next(socket, 'disconnect');
      const clientSide = next(client, 'disconnect');
      if (clientReason === 'io client disconnect') client.disconnect();
      else socket.disconnect();
      const [[serverReason], [reason]] = await Promise.all([serverSide, clientSide]);
      server.io.to('room').emit('missed', 2);
      const result = await reconnect(server, client);
      results.push({ ...result, serverReason, reason });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({ recovered: false, serverRecovered: false, replayed: [] });
    expect(results[0].reason).toBe(clientReason);
  });

  it('the server closing the engine session (socket.conn.close(): forced close) is recoverable (both servers)', async () => {
    const results = [];
    for (const [, start] of servers) {
      const server = await start({ connectionStateRecovery: {} });
      const { client, socket } = await connectWithOffset(server, transport);
      const serverSide = next(socket, 'disconnect');
      const clientSide = next(client, 'disconnect');
      socket.conn.close();
      const [[serverReason], [reason]] = await Promise.all([serverSide, clientSide]);
      server.io.to('room').emit('missed', 2);
      const result = await reconnect(server, client);
      results.push({ ...result, serverReason, reason });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({
      recovered: true,
      serverRecovered: true,
      replayed: ['missed'],
      serverReason: 'forced close',
    });
  });

  it.each([true, false])(
    'skipMiddlewares %s: middlewares skipped or run on recovery, and they see socket.recovered (both servers)',
    async (skipMiddlewares) => {
      const results = [];
      for (const [, start] of servers) {
        const server = await start({ connectionStateRecovery: { skipMiddlewares } });
        const runs: boolean[] = [];
        server.io.use((socket, next) => {
          runs.push(socket.recovered);
          next();
        });
        const { client, socket } = await connectWithOffset(server, transport);
        await dropConnection(client, socket);
        server.io.to('room').emit('missed', 2);
        const result = await reconnect(server, client);
        results.push({ ...result, runs });
      }
      expect(results[0]).toEqual(results[1]);
      expect(results[0]).toEqual({
        recovered: true,
        serverRecovered: true,
        replayed: ['missed'],
        runs: skipMiddlewares ? [false] : [false, true],
      });
    },
  );
});

describe('recovery rules (websocket only)', () => {
  it('a client that stops answering pings (ping timeout) recovers, as with socket.io 4.8', async () => {
    const results = [];
    for (const [, start] of servers) {
      const server = await start({
        connectionStateRecovery: {},
        pingInterval: 100,
        pingTimeout: 200,
      });
      const { client, socket } = await connectWithOffset(server, 'websocket');
      const serverSide = next(socket, 'disconnect');
      const clientSide = next(client, 'disconnect');
      // Silence the client: its pongs (and anything else) no longer leave.
      const ws = (client.io.engine as unknown as { transport: { ws: { send: () => void } } })
        .transport.ws;
      ws.send = () => undefined;
      const [[serverReason]] = await Promise.all([serverSide, clientSide]);
      server.io.to('room').emit('missed', 2);
      const result = await reconnect(server, client);
      results.push({ ...result, serverReason });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual({
      recovered: true,
      serverRecovered: true,
      replayed: ['missed'],
      serverReason: 'ping timeout',
    });
  });

  it('a server-side cut of the raw TCP connection is recoverable, and the client reconnects by itself', async () => {
    const server = await startWiregate({ connectionStateRecovery: {} });
    const connection = nextServerSocket(server);
    const client = server.connect('websocket', { reconnection: true, reconnectionDelay: 50 });
    await next(client, 'connect');
    const socket = (await connection) as AnyServerSocket & {
      request: { socket: { destroy(): void } };
    };
    socket.join('room');
    server.io.to('room').emit('offset', 1);
    await next(client, 'offset');
    const seen = recordEvents(client);
    const lost = next(socket, 'disconnect');
    socket.request.socket.destroy();
    const [reason] = await lost;
    expect(reason).toBe('transport close');
    server.io.to('room').emit('missed', 2);
    await within(
      new Promise<void>((resolve) => client.once('connect', () => resolve())),
      'the reconnection',
    );
    expect(client.recovered).toBe(true);
    expect(seen.map(([name]) => name)).toEqual(['missed']);
  });
});

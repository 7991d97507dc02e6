// Compile-time checks of the typed event maps (npm test runs tsc over test/): each
// `@ts-expect-error` must be an error, every other line must compile. The runtime part only
// makes sure the typed code also runs.
import { Server, type Socket } from '../../src/server';
import { closeAll, connectSocket, startServer } from '../support/harness';

interface ClientToServer {
  chat: (text: string) => void;
  add: (a: number, b: number, ack: (sum: number) => void) => void;
}
interface ServerToClient {
  news: (headline: string, priority: number) => void;
  ask: (question: string, ack: (answer: string) => void) => void;
}
interface InterServer {
  ping: (from: string) => void;
}
interface SocketData {
  user: { id: number; name: string };
}

type TypedServer = Server<ClientToServer, ServerToClient, InterServer, SocketData>;
type TypedSocket = Socket<ClientToServer, ServerToClient, InterServer, SocketData>;

afterEach(closeAll);

/** Never called: only type-checked. */
function typeChecks(io: TypedServer, socket: TypedSocket): void {
  // Listening: argument types come from ClientToServer.
  socket.on('chat', (text) => {
    const s: string = text;
    void s;
  });
  socket.on('add', (a, b, ack) => ack(a + b));
  // @ts-expect-error 'chat' gives a string, not a number
  socket.on('chat', (text: number) => void text);
  // @ts-expect-error unknown incoming event
  socket.on('nope', () => undefined);
  // Reserved events are typed too.
  socket.on('disconnect', (reason) => {
    const r: string = reason;
    void r;
  });

  // Emitting: ServerToClient.
  socket.emit('news', 'headline', 1);
  // @ts-expect-error priority must be a number
  socket.emit('news', 'headline', 'high');
  // @ts-expect-error unknown outgoing event
  socket.emit('nope');
  socket.emit('ask', 'q?', (answer) => {
    const a: string = answer;
    void a;
  });
  // With a timeout the ack takes the error first.
  socket.timeout(100).emit('ask', 'q?', (err, answer) => {
    const e: Error | null = err;
    const a: string = answer;
    void e;
    void a;
  });
  // emitWithAck resolves with the reply type.
  const reply: Promise<string> = socket.emitWithAck('ask', 'q?');
  const timedReply: Promise<string> = socket.timeout(100).emitWithAck('ask', 'q?');
  void reply;
  void timedReply;
  // @ts-expect-error the question is a string
  void socket.emitWithAck('ask', 42);

  // Broadcasts: same event map; a broadcast ack gets (err, replies[]).
  io.emit('news', 'all', 2);
  io.to('room').except('other').emit('news', 'some', 3);
  socket.broadcast.emit('news', 'others', 4);
  // @ts-expect-error wrong argument type in a broadcast
  io.to('room').emit('news', 1, 2);
  io.timeout(100).emit('ask', 'q?', (err, answers) => {
    const e: Error | null = err;
    const list: string[] = answers;
    void e;
    void list;
  });
  const answers: Promise<string[]> = io.timeout(100).emitWithAck('ask', 'q?');
  void answers;
  // @ts-expect-error reserved names are not in the map
  io.emit('disconnect');

  // Server-side events between servers.
  io.serverSideEmit('ping', 'server-a');
  // @ts-expect-error unknown server-side event
  io.serverSideEmit('pong');
  io.on('ping', (from) => {
    const f: string = from;
    void f;
  });

  // socket.data is typed.
  const name: string = socket.data.user.name;
  void name;
  // @ts-expect-error no such field in SocketData
  void socket.data.missing;

  // io.on('connection') gives a typed socket.
  io.on('connection', (s) => {
    s.emit('news', 'welcome', 0);
    // @ts-expect-error typed socket in the connection listener
    s.emit('news', 0, 0);
  });
  io.of('/admin').on('connection', (s) => s.emit('news', 'admin', 0));

  // fetchSockets gives typed remote sockets.
  void io.fetchSockets().then((sockets) => {
    for (const remote of sockets) {
      remote.emit('news', 'remote', 1);
      const id: number = remote.data.user.id;
      void id;
      // @ts-expect-error typed remote emit
      remote.emit('news', 1, 1);
    }
  });

  // Middlewares see typed sockets.
  io.use((s, next) => {
    const user: { id: number } = s.data.user;
    void user;
    next();
  });
}

describe('typed events', () => {
  it('typed code runs', async () => {
    const h = await startServer();
    const io = h.io as unknown as TypedServer;
    expect(typeof typeChecks).toBe('function');
    io.on('connection', (socket) => {
      socket.data.user = { id: 1, name: 'kim' };
      socket.on('add', (a, b, ack) => ack(a + b));
    });
    const [client] = await connectSocket(h);
    await expect(client.emitWithAck('add', 1, 2)).resolves.toBe(3);
    const [remote] = await io.fetchSockets();
    expect(remote.data.user.name).toBe('kim');
  });
});

// Recovery with a custom parser (socket.io-msgpack-parser) and with two namespaces on one
// connection, compared with socket.io 4.8: each namespace's socket recovers on its own.
import msgpackParser from 'socket.io-msgpack-parser';
import type { Socket as ClientSocket } from 'socket.io-client';
import {
  closeRunning,
  next,
  recordEvents,
  startSocketIo,
  startWiregate,
  within,
  type AnyServerSocket,
  type Running,
} from './support';

afterEach(closeRunning);

type Start = (opts: Record<string, unknown>) => Promise<Running>;

interface NamespacedServer {
  of(name: string): {
    on(ev: 'connection', fn: (socket: AnyServerSocket) => void): unknown;
    to(room: string): { emit(ev: string, ...args: unknown[]): unknown };
  };
}

async function scenario(start: Start) {
  const server = await start({ parser: msgpackParser, connectionStateRecovery: {} });
  const io = server.io as unknown as NamespacedServer;
  const serverSockets: AnyServerSocket[] = [];
  for (const name of ['/', '/admin']) {
    io.of(name).on('connection', (socket) => {
      serverSockets.push(socket);
      if (!socket.recovered) socket.join(`${name}-room`);
    });
  }
  const main = server.connect('websocket', { parser: msgpackParser });
  const admin = main.io.socket('/admin') as ClientSocket;
  admin.connect();
  await Promise.all([next(main, 'connect'), next(admin, 'connect')]);
  io.of('/').to('/-room').emit('offset', 1);
  io.of('/admin').to('/admin-room').emit('offset', 1);
  await Promise.all([next(main, 'offset'), next(admin, 'offset')]);

  const [mainSocket, adminSocket] = serverSockets;
  const lost = Promise.all([next(mainSocket, 'disconnect'), next(adminSocket, 'disconnect')]);
  const clientLost = Promise.all([next(main, 'disconnect'), next(admin, 'disconnect')]);
  main.io.engine.close();
  await Promise.all([lost, clientLost]);
  io.of('/')
    .to('/-room')
    .emit('missed', 'main', Buffer.from([1, 2]));
  io.of('/admin').to('/admin-room').emit('missed', 'admin', { n: 2 });
  io.of('/admin').to('/admin-room').emit('missedToo', 3);

  const seen = { main: recordEvents(main), admin: recordEvents(admin) };
  const back = within(
    Promise.all([next(main, 'connect'), next(admin, 'connect')]),
    'both namespaces back',
  );
  main.connect();
  admin.connect();
  await back;
  return { recovered: [main.recovered, admin.recovered], seen };
}

describe('recovery with a custom parser and two namespaces', () => {
  it('socket.io-msgpack-parser: both namespaces recover their own missed packets, as with socket.io 4.8', async () => {
    const wiregate = await scenario((opts) => startWiregate(opts));
    const reference = await scenario((opts) => startSocketIo(opts));
    expect(wiregate).toEqual(reference);
    expect(wiregate).toEqual({
      recovered: [true, true],
      seen: {
        main: [['missed', 'main', { type: 'Buffer', data: [1, 2] }, '<offset>']],
        admin: [
          ['missed', 'admin', { n: 2 }, '<offset>'],
          ['missedToo', 3, '<offset>'],
        ],
      },
    });
  });
});

describe('recovery with dynamic namespaces', () => {
  it("a parent namespace's broadcast reaches each child's clients with one offset of that child, and is replayed", async () => {
    const server = await startWiregate({ connectionStateRecovery: {} });
    const io = server.io as unknown as {
      of(name: RegExp): {
        on(ev: 'connection', fn: (socket: AnyServerSocket) => void): unknown;
        emit(ev: string, ...args: unknown[]): unknown;
      };
    };
    const parent = io.of(/^\/team-\d+$/);
    const sockets = new Map<string, AnyServerSocket>();
    parent.on('connection', (socket) => {
      sockets.set((socket as unknown as { nsp: { name: string } }).nsp.name, socket);
    });
    // server.connect targets the main namespace: the children are opened through each manager.
    const clients = [1, 2].map(() => server.connect('websocket'));
    const teams = clients.map((c, i) => c.io.socket(`/team-${i + 1}`) as ClientSocket);
    for (const team of teams) team.connect();
    await Promise.all(teams.map((team) => next(team, 'connect')));
    parent.emit('hello', 1);
    const hellos = await Promise.all(teams.map((team) => next(team, 'hello')));
    // One value and one offset each, not one offset per child.
    expect(hellos.map((args) => args.length)).toEqual([2, 2]);

    const team1 = teams[0];
    const lost = next(sockets.get('/team-1')!, 'disconnect');
    const clientLost = next(team1, 'disconnect');
    team1.io.engine.close();
    await Promise.all([lost, clientLost]);
    parent.emit('missed', 2);
    const missed = next(team1, 'missed');
    team1.connect();
    await next(team1, 'connect');
    expect(team1.recovered).toBe(true);
    expect((await missed).length).toBe(2);
  });
});

// Engine.IO v3 clients (socket.io-client 2, `allowEIO3`) on a server with recovery: they cannot
// recover (no pid for them), see the offset as an extra argument as with socket.io 4.8, and a
// pid/offset in their query is not a recovery attempt.
import connectV2, { type V2Socket } from 'socket.io-client-v2';
import {
  closeRunning,
  next,
  nextServerSocket,
  startSocketIo,
  startWiregate,
  type AnyServerSocket,
  type Running,
} from './support';

const opened: V2Socket[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) c.close();
  await closeRunning();
});

type Start = (opts: Record<string, unknown>) => Promise<Running>;

async function scenario(start: Start, query: Record<string, string>, lostId?: string) {
  const server = await start({ allowEIO3: true, connectionStateRecovery: {} });
  const connection = nextServerSocket(server);
  const client = connectV2(server.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    query,
  });
  opened.push(client);
  await next(client, 'connect');
  const socket = await connection;
  socket.join('room');
  server.io.to('room').emit('hello', 1);
  const args = await next(client, 'hello');
  return {
    args: args.map((a) => (typeof a === 'string' ? '<offset>' : a)),
    recovered: socket.recovered,
    sameIdAsLost: socket.id === lostId,
  };
}

describe('recovery and Engine.IO v3 clients', () => {
  it('a v2 client connects, gets broadcasts with the offset appended, as with socket.io 4.8', async () => {
    const wiregate = await scenario((o) => startWiregate(o), {});
    const reference = await scenario((o) => startSocketIo(o), {});
    expect(wiregate).toEqual(reference);
    expect(wiregate.args).toEqual([1, '<offset>']);
  });

  it('a pid and offset in the namespace query of a v2 client are not a recovery attempt', async () => {
    const server = await startWiregate({ allowEIO3: true, connectionStateRecovery: {} });
    const nsp = (server.io as unknown as { of(name: string): Running['io'] }).of('/other');
    const connections: AnyServerSocket[] = [];
    nsp.on('connection', (socket) => connections.push(socket));
    const modern = server.connect('websocket', {}, '/other');
    await next(modern, 'connect');
    const [lost] = connections;
    nsp.to(lost.id).emit('offset', 1);
    const [, offset] = (await next(modern, 'offset')) as [number, string];
    const pid = (modern as unknown as { _pid: string })._pid;
    const gone = next(lost, 'disconnect');
    modern.io.engine.close();
    await gone;
    // socket.io-client 2 puts the query on its namespace CONNECT (`/other?pid=…`): the auth.
    const v2client = connectV2(`${server.url}/other`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      query: { pid, offset },
    });
    opened.push(v2client);
    await next(v2client, 'connect');
    const v2socket = connections[1];
    expect(v2socket.recovered).toBe(false);
    expect(v2socket.id).not.toBe(lost.id);
    // The real client still recovers: the v2 connection consumed nothing.
    modern.connect();
    await next(modern, 'connect');
    expect(modern.recovered).toBe(true);
    expect(connections[2].id).toBe(lost.id);
  });
});

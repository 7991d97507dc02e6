// @socket.io/redis-streams-adapter on two wiregate servers: a client that loses its connection to
// one server and comes back to the other recovers its id, rooms, data and missed packets, as it
// does between two socket.io 4.8 servers (compared in the same test). Sessions and packets live
// in Redis (a SET per session, the stream), so this goes through the adapter hooks only.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { AdapterConstructor } from '../../src/server';
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

const REDIS = { host: '127.0.0.1', port: 6379 };
const redisClients: Redis[] = [];
const streams: string[] = [];

afterEach(async () => {
  await closeRunning();
  const cleaner = redisClients[0];
  if (cleaner !== undefined && streams.length > 0) await cleaner.del(...streams.splice(0));
  await Promise.all(redisClients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
});

let counter = 0;
/** A stream and session prefix no other test or engineer uses (Redis is shared). */
function uniqueKeys(): { streamName: string; sessionKeyPrefix: string } {
  const base = `wg_recovery_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  streams.push(base);
  return { streamName: base, sessionKeyPrefix: `${base}:session:` };
}

function redisAdapter(keys: ReturnType<typeof uniqueKeys>): AdapterConstructor {
  const client = new Redis({ ...REDIS, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  redisClients.push(client);
  return createAdapter(client, {
    ...keys,
    blockTimeInMs: 200,
    heartbeatInterval: 500,
    heartbeatTimeout: 3000,
  }) as unknown as AdapterConstructor;
}

type Start = (opts: Record<string, unknown>) => Promise<Running>;

/** Two servers on one stream; the client moves from the first to the second. */
async function scenario(start: Start, transport: Transport) {
  const keys = uniqueKeys();
  const options = () => ({ connectionStateRecovery: {}, adapter: redisAdapter(keys) });
  const a = await start(options());
  const b = await start(options());
  for (const server of [a, b]) {
    server.io.on('connection', (socket) => {
      if (socket.recovered) return;
      socket.join('room');
      socket.data = { user: 'ann' };
    });
  }
  // A witness on b: once it saw a broadcast published after the loss, b's Redis has seen every
  // command a issued before it (the session's SET included: same client, in order).
  const witness = b.connect(transport);
  await next(witness, 'connect');

  const first = nextServerSocket(a);
  const client = a.connect(transport);
  await next(client, 'connect');
  const lost = await first;
  const id = client.id;
  a.io.to('room').emit('offset', 0);
  await next(client, 'offset');

  await dropConnection(client, lost);
  a.io.to('room').emit('missed', 1);
  a.io.emit('all', 2);
  a.io.to(id!).emit('direct', 3);
  a.io.volatile.emit('volatile', 4);
  a.io.to('other').emit('notForIt', 5);
  a.io.local.emit('localOnly', 6);
  a.io.to('room').emit('last', 7);
  await next(witness, 'last');

  const seen = recordEvents(client);
  const restored = nextServerSocket(b);
  (client.io as unknown as { uri: string }).uri = b.url;
  client.connect();
  await next(client, 'connect');
  const socket = await restored;
  // The rooms came back on b: a broadcast from a reaches the client through the stream.
  a.io.to('room').emit('after', 8);
  await next(client, 'after');
  return {
    recovered: client.recovered,
    sameId: client.id === id,
    serverRecovered: socket.recovered,
    rooms: [...socket.rooms].filter((r) => r !== socket.id),
    data: socket.data,
    received: seen,
  };
}

describe.each<Transport>(['websocket', 'polling'])(
  '@socket.io/redis-streams-adapter: recovery on the other server, over %s',
  (transport) => {
    it('the client recovers on the second server, as between two socket.io 4.8 servers', async () => {
      const wiregate = await scenario((opts) => startWiregate(opts), transport);
      const reference = await scenario((opts) => startSocketIo(opts), transport);
      expect(wiregate).toEqual(reference);
      expect(wiregate).toEqual({
        recovered: true,
        sameId: true,
        serverRecovered: true,
        rooms: ['room'],
        data: { user: 'ann' },
        received: [
          ['missed', 1, '<offset>'],
          ['all', 2, '<offset>'],
          ['direct', 3, '<offset>'],
          // The adapter's choice, on socket.io as here: it replays every broadcast of the
          // stream, volatile ones too; `local` ones never went to the stream.
          ['volatile', 4, '<offset>'],
          ['last', 7, '<offset>'],
          ['after', 8, '<offset>'],
        ],
      });
    }, 60_000);
  },
);

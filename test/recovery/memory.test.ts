// Bounded memory: the in-memory store never holds more than maxSessions sessions and maxPackets
// packets per namespace, whatever a reconnect storm does; what it dropped costs a fresh session,
// never a partial replay. Entries are counted, nothing is timed.
import type { Socket as ClientSocket } from 'socket.io-client';
import type { SessionAwareAdapter } from '../../src/server/recovery/session-aware-adapter';
import {
  closeRunning,
  dropConnection,
  next,
  nextServerSocket,
  startWiregate,
  type Running,
} from './support';

afterEach(closeRunning);

function storeOf(server: Running): SessionAwareAdapter {
  return (server.io as unknown as { sockets: { adapter: SessionAwareAdapter } }).sockets.adapter;
}

describe('recovery memory bound', () => {
  it('a reconnect storm keeps at most maxSessions sessions and maxPackets packets; the newest sessions recover, the evicted ones start afresh', async () => {
    const maxSessions = 5;
    const maxPackets = 20;
    const server = await startWiregate({
      connectionStateRecovery: { maxSessions, maxPackets },
    });
    const stats = () => storeOf(server).recoveryStats();
    const peak = { sessions: 0, packets: 0 };
    const sample = () => {
      const now = stats();
      peak.sessions = Math.max(peak.sessions, now.sessions);
      peak.packets = Math.max(peak.packets, now.packets);
    };
    // 30 clients each connect, get an offset, and lose their connection.
    const lost: ClientSocket[] = [];
    for (let i = 0; i < 30; i++) {
      const connection = nextServerSocket(server);
      const client = server.connect('websocket');
      await next(client, 'connect');
      const socket = await connection;
      socket.join('storm');
      server.io.to(socket.id).emit('offset', i);
      await next(client, 'offset');
      await dropConnection(client, socket);
      lost.push(client);
      sample();
    }
    expect(peak.sessions).toBe(maxSessions);
    // Broadcasts to the room while they are away: only the newest maxPackets are held.
    for (let i = 0; i < 10; i++) {
      server.io.to('storm').emit('missed', i);
      sample();
    }
    expect(stats()).toEqual({ sessions: maxSessions, packets: maxPackets });
    // The five newest sessions still have every packet after their offsets.
    const newest = lost.slice(-maxSessions);
    for (const client of newest) {
      const connection = nextServerSocket(server);
      client.connect();
      await next(client, 'connect');
      await connection;
    }
    expect(newest.map((c) => c.recovered)).toEqual(Array(maxSessions).fill(true));
    // An evicted session: a fresh one.
    const evicted = lost[0];
    const connection = nextServerSocket(server);
    evicted.connect();
    await next(evicted, 'connect');
    await connection;
    expect(evicted.recovered).toBe(false);
    // Many more packets: still bounded, and a restored session that missed a dropped packet
    // would start afresh (store.test.ts); the store never went past its caps.
    for (let i = 0; i < 200; i++) server.io.emit('flood', i);
    sample();
    expect(peak).toEqual({ sessions: maxSessions, packets: maxPackets });
    expect(stats().packets).toBe(maxPackets);
  });

  it('with recovery off, the default adapter stores nothing and adds no offset', async () => {
    const server = await startWiregate({});
    const adapter = (server.io as unknown as { sockets: { adapter: object } }).sockets.adapter;
    expect('recoveryStats' in adapter).toBe(false);
    const client = server.connect('websocket');
    await next(client, 'connect');
    server.io.emit('plain', 1);
    expect(await next(client, 'plain')).toEqual([1]);
  });
});

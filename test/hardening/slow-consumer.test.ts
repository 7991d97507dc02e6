// Slow consumers (docs/limits.md, "maxBufferedBytes"): a client that stops reading must not
// grow server memory without bound. Volatile packets are dropped for it first; once its
// backlog is over the limit the session closes with `slow consumer`. Meanwhile clients that
// read get every message.
import type { Socket as ClientSocket } from 'socket.io-client';
import type { EngineSession } from '../../src/engine';
import type { Socket } from '../../src/server';
import type { WiregateError } from '../../src/shared/errors';
import {
  closeEverything,
  httpExchange,
  live,
  nextEvent,
  officialClient,
  pollingOpen,
  rawWs,
  untilNoSessions,
  within,
} from './support';

afterEach(closeEverything);

const LIMIT = 256 * 1024;
const PAYLOAD = 'x'.repeat(32 * 1024);
const PER_BATCH = 4;
/** Upper bound on batches: ~51 MB produced at most, far more than loopback buffers hold. */
const MAX_BATCHES = 400;
const BATCHES_AFTER_CLOSE = 10;

/** Counts `tick` events on a client and lets a test wait for a count. */
function counter(c: ClientSocket) {
  let count = 0;
  let waiter: { n: number; resolve: () => void } | null = null;
  c.on('tick', () => {
    count++;
    if (waiter && count >= waiter.n) {
      waiter.resolve();
      waiter = null;
    }
  });
  return {
    get count() {
      return count;
    },
    reach(n: number): Promise<void> {
      if (count >= n) return Promise.resolve();
      return within(
        10000,
        `${n} ticks (have ${count})`,
        new Promise((resolve) => (waiter = { n, resolve })),
      );
    },
  };
}

it('closes a stalled WebSocket client as a slow consumer; the others get every message', async () => {
  const l = await live({ maxBufferedBytes: LIMIT });
  const serverSockets: Socket[] = [];
  l.io.on('connection', (s: Socket) => serverSockets.push(s));

  const healthy = [0, 1, 2].map(() => officialClient(l));
  await within(5000, 'healthy clients', Promise.all(healthy.map((c) => nextEvent(c, 'connect'))));
  const counters = healthy.map(counter);

  const stalled = rawWs(l);
  await stalled.opened;
  stalled.ws.send('40');
  await stalled.waitFor((f) => typeof f === 'string' && f.startsWith('40{'));
  const stalledSocket = serverSockets[serverSockets.length - 1];
  const stalledConn: EngineSession = stalledSocket.conn;
  const closed = nextEvent(stalledSocket, 'disconnect');
  // Stop reading: the TCP window fills, then the server-side backlog grows.
  (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();

  const heapBefore = process.memoryUsage().heapUsed;
  let sent = 0;
  let maxBacklog = 0;
  let volatileChecked = false;
  let afterClose = 0;
  for (let batch = 0; batch < MAX_BATCHES && afterClose < BATCHES_AFTER_CLOSE; batch++) {
    for (let i = 0; i < PER_BATCH; i++) l.io.emit('tick', PAYLOAD);
    sent += PER_BATCH;
    await Promise.all(counters.map((c) => c.reach(sent)));
    if (stalledConn.readyState === 'open') {
      maxBacklog = Math.max(maxBacklog, stalledConn.bufferedAmount);
      if (!volatileChecked && stalledConn.bufferedAmount > 0) {
        volatileChecked = true;
        await expectVolatileSkipsStalled(l.io, stalledConn, healthy);
      }
    } else {
      afterClose++;
    }
  }

  const [reason, description] = await within(1000, 'the slow consumer disconnect', closed);
  expect(reason).toBe('slow consumer');
  expect((description as WiregateError).code).toBe('WG_ERR_SLOW_CONSUMER');
  expect(volatileChecked).toBe(true);
  expect(afterClose).toBe(BATCHES_AFTER_CLOSE);
  // The backlog never went past the limit plus one packet (checked before queuing).
  expect(maxBacklog).toBeLessThanOrEqual(LIMIT + PAYLOAD.length + 64);
  // Far more was produced than the limit: the bound held, it was not just never reached.
  expect(sent * PAYLOAD.length).toBeGreaterThan(8 * LIMIT);
  for (const c of counters) expect(c.count).toBe(sent);
  // Generous: what the stalled client did not read was let go, not kept.
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  expect(l.io.engine.clientsCount).toBe(3);
});

async function expectVolatileSkipsStalled(
  io: import('../../src/server').Server,
  stalled: EngineSession,
  healthy: ClientSocket[],
) {
  let created = 0;
  const onCreate = () => created++;
  stalled.on('packetCreate', onCreate);
  const got = healthy.map((c) => nextEvent(c, 'v'));
  io.volatile.emit('v', 1);
  await within(5000, 'the volatile event on healthy clients', Promise.all(got));
  stalled.off('packetCreate', onCreate);
  expect(created).toBe(0);
}

it('closes a polling client that stops fetching once its queue is over the limit', async () => {
  const limit = 64 * 1024;
  const l = await live({ maxBufferedBytes: limit });
  const socketP = new Promise<Socket>((resolve) => l.io.on('connection', resolve));
  const sid = await pollingOpen(l);
  const post = await httpExchange(l, {
    method: 'POST',
    path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
    body: '40',
  });
  expect(post.status).toBe(200);
  const socket = await within(5000, 'connection', socketP);
  const closed = nextEvent(socket, 'disconnect');
  const chunk = 'y'.repeat(1024);
  let sent = 0;
  // Never GET: everything queues. Bounded: at most 4x the limit is produced.
  while (socket.connected && sent < 256) {
    socket.emit('tick', chunk);
    sent++;
    expect(socket.conn.bufferedAmount).toBeLessThanOrEqual(limit + chunk.length + 64);
  }
  const [reason] = await within(1000, 'disconnect', closed);
  expect(reason).toBe('slow consumer');
  expect(sent).toBeLessThan(80);
  await untilNoSessions(l.io);
  const after = await httpExchange(l, { path: `/socket.io/?EIO=4&transport=polling&sid=${sid}` });
  expect(after.status).toBe(400);
  expect(JSON.parse(after.body)).toEqual({ code: 1, message: 'Session ID unknown' });
});

it('lets a single packet larger than the limit through to a client that kept up', async () => {
  const l = await live({ maxBufferedBytes: 1024 });
  const socketP = new Promise<Socket>((resolve) => l.io.on('connection', resolve));
  const c = officialClient(l);
  await within(5000, 'connect', nextEvent(c, 'connect'));
  const s = await socketP;
  const big = 'z'.repeat(256 * 1024);
  const got = nextEvent(c, 'big');
  s.emit('big', big);
  const [value] = await within(5000, 'the big event', got);
  expect(value).toBe(big);
  expect(s.connected).toBe(true);
});

it.each([
  ['everyone', (io: import('../../src/server').Server) => io.emit('tick', 'w'.repeat(1024))],
  [
    'one room',
    (io: import('../../src/server').Server) => io.to('r').emit('tick', 'w'.repeat(1024)),
  ],
  [
    'two rooms',
    (io: import('../../src/server').Server) => io.to(['r', 's']).emit('tick', 'w'.repeat(1024)),
  ],
])(
  'closing slow consumers in the middle of a broadcast to %s skips no other recipient',
  async (_what, broadcast) => {
    const l = await live({ maxBufferedBytes: 4096 });
    l.io.on('connection', (s: Socket) => void s.join(['r', 's']));
    // Three polling clients that never fetch: their queues grow with every broadcast.
    const stalled: Promise<unknown[]>[] = [];
    for (let i = 0; i < 3; i++) {
      const socketP = new Promise<Socket>((resolve) => l.io.once('connection', resolve));
      const sid = await pollingOpen(l);
      await httpExchange(l, {
        method: 'POST',
        path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
        body: '40',
      });
      stalled.push(nextEvent(await within(5000, 'connection', socketP), 'disconnect'));
    }
    const healthy = [0, 1].map(() => officialClient(l));
    await within(5000, 'healthy clients', Promise.all(healthy.map((c) => nextEvent(c, 'connect'))));
    const counts = healthy.map(() => 0);
    const allIn = Promise.all(
      healthy.map(
        (c, i) =>
          new Promise<void>((resolve) =>
            c.on('tick', () => {
              if (++counts[i] === 10) resolve();
            }),
          ),
      ),
    );
    for (let n = 0; n < 10; n++) broadcast(l.io);
    for (const d of stalled)
      expect((await within(1000, 'stalled disconnect', d))[0]).toBe('slow consumer');
    await within(5000, 'every tick on the healthy clients', allIn);
    expect(counts).toEqual([10, 10]);
  },
);

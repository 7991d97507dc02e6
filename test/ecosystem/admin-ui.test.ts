// @socket.io/admin-ui runs on wiregate as on socket.io 4.8 (issue 12). The admin UI web app is a
// plain socket.io client of the `/admin` namespace; here a socket.io-client plays it, and the same
// scenario runs against a wiregate Server and a socket.io 4.8 Server side by side: every event the
// admin receives (ids and dates normalised) and every `server_stats` counter must agree, and the
// counters must match the traffic the clients themselves measured. `server_stats` comes every 2 s
// (admin-ui's own timer), so each run awaits it, bounded, and both servers run at the same time.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server as HttpServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrument } from '@socket.io/admin-ui';
import { Server as SocketIoServer } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import * as msgpackParser from 'socket.io-msgpack-parser';
import { createApp } from '../../src';
import { Server } from '../../src/server';
import {
  AdminRecorder,
  countTraffic,
  normalise,
  type AdminEvent,
  type SerialisedHandshake,
  type StatsCheckpoint,
  type Traffic,
} from '../fixtures/ecosystem/admin-ui-recorder';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';
import { GuardedGateway } from '../fixtures/gateways/guarded.gateway';

type ServerKind = 'wiregate' | 'socket.io';

// The calls the scenario makes on a server, a namespace and a socket: both servers have them.
/* eslint-disable @typescript-eslint/no-explicit-any -- listeners of any event */
interface ScenarioSocket {
  id: string;
  conn: { id: string };
  data: Record<string, unknown>;
  handshake: { query: Record<string, unknown> };
  join(room: string): unknown;
  emit(ev: string, ...args: unknown[]): unknown;
  on(ev: string, fn: (...args: any[]) => void): unknown;
  listenerCount(ev: string): number;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

interface ScenarioNamespace {
  use(fn: (socket: ScenarioSocket, next: (err?: Error) => void) => void): unknown;
  on(ev: 'connection', fn: (socket: ScenarioSocket) => void): unknown;
  emit(ev: string, ...args: unknown[]): unknown;
  sockets: Map<string, ScenarioSocket>;
}

interface EngineSessionLike {
  once(ev: 'close', fn: () => void): unknown;
}

interface ScenarioServer extends ScenarioNamespace {
  of(name: string): ScenarioNamespace;
  engine: {
    use(fn: (req: IncomingMessage, res: unknown, next: (err?: Error) => void) => void): void;
    on(ev: 'connection', fn: (session: EngineSessionLike) => void): unknown;
  };
  close(): Promise<void>;
}

interface Running {
  io: ScenarioServer;
  url: string;
  /** Connects a client (reconnection off) that the run closes at the end. */
  open(nsp: string, opts?: Parameters<typeof connectClient>[1]): ClientSocket;
  /** Socket id, room and Engine.IO id prefix → the client's name, for `normalise`. */
  labels: Map<string, string>;
}

/** admin-ui takes `io: socket.io Server`; it only touches what wiregate's Server also has. */
function instrumentable(io: ScenarioServer): SocketIoServer {
  return io as unknown as SocketIoServer;
}

/** The server options a scenario may set; both servers take them. */
interface ScenarioOptions {
  cors?: { origin: string[]; credentials: boolean };
  parser?: typeof msgpackParser;
}

/** Runs `body` on a fresh server of `kind` (set up by `setUp`), then closes everything it opened. */
async function withServer<T>(
  kind: ServerKind,
  setUp: (io: ScenarioServer) => void,
  body: (run: Running) => Promise<T>,
  options: ScenarioOptions = {},
): Promise<T> {
  const http = createServer();
  const io = (kind === 'wiregate'
    ? new Server(http, options)
    : new SocketIoServer(http, options)) as unknown as ScenarioServer;
  const sessions = trackSessions(io.engine);
  setUp(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  const run: Running = {
    io,
    url,
    labels: new Map(),
    open(nsp, opts = {}) {
      const client = connectClient(url + nsp, { forceNew: true, reconnection: false, ...opts });
      clients.push(client);
      return client;
    },
  };
  try {
    return await body(run);
  } finally {
    for (const client of clients) client.close();
    // A polling client says goodbye in a request of its own: let it arrive before the server goes.
    await untilEmpty(sessions, 2000);
    await closeServer(io, http);
  }
}

/** The engine's open sessions, kept up to date. */
function trackSessions(engine: {
  on(ev: 'connection', fn: (session: EngineSessionLike) => void): unknown;
}): Set<EngineSessionLike> {
  const sessions = new Set<EngineSessionLike>();
  engine.on('connection', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return sessions;
}

/** Resolves once every session closed, or after `ms` (the server's close ends the rest). */
function untilEmpty(sessions: Set<EngineSessionLike>, ms: number): Promise<void> {
  if (sessions.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    for (const session of sessions)
      session.once('close', () => {
        // After the set's own listener (registered first) removed the session.
        if (sessions.size > 0) return;
        clearTimeout(timer);
        resolve();
      });
  });
}

async function closeServer(io: ScenarioServer, http: HttpServer): Promise<void> {
  const closing = io.close();
  // Kept-alive polling connections would hold the HTTP server's close until they idle out.
  http.closeAllConnections();
  await closing;
}

/** Both runs at once (admin-ui's stats timer is the slow part); both finish before a failure is reported. */
async function onBoth<T>(
  scenario: (kind: ServerKind) => Promise<T>,
): Promise<Record<ServerKind, T>> {
  const [wiregate, socketIo] = await Promise.allSettled([
    scenario('wiregate'),
    scenario('socket.io'),
  ]);
  if (wiregate.status === 'rejected') throw wiregate.reason;
  if (socketIo.status === 'rejected') throw socketIo.reason;
  return { wiregate: wiregate.value, 'socket.io': socketIo.value };
}

/** Resolves on the client's `connect`; rejects on `connect_error` or after `ms`. */
function connected(client: ClientSocket, ms = 5000): Promise<void> {
  return bounded(
    new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    }),
    ms,
    'client connect',
  );
}

/** Resolves with the arguments of the client's next `event`, bounded. */
function next(client: ClientSocket, event: string, ms = 5000): Promise<unknown[]> {
  return bounded(
    new Promise((resolve) => client.once(event, (...args: unknown[]) => resolve(args))),
    ms,
    `client event ${event}`,
  );
}

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Names a connected client in the admin's events: its socket id and admin-ui's `clientId`. */
function label(run: Running, client: ClientSocket, name: string): void {
  run.labels.set(client.id!, name);
  run.labels.set(
    (client.io.engine as unknown as { id: string }).id.substring(0, 12),
    `${name}:conn`,
  );
}

/** An admin event matcher: name and a test on the arguments. */
function seen(name: string, match: (args: unknown[]) => boolean = () => true) {
  return (events: AdminEvent[]) => events.some(([ev, ...args]) => ev === name && match(args));
}

interface SocketPayload {
  id: string;
  nsp: string;
  transport?: string;
  data?: Record<string, unknown>;
  handshake?: SerialisedHandshake;
}

const about = (id: string | undefined) => (args: unknown[]) => (args[0] as SocketPayload).id === id;

/** socket_updated with `data` for the socket, once the app set `socket.data.name`. */
const dataUpdated = (id: string | undefined) =>
  seen('socket_updated', (a) => about(id)(a) && (a[0] as SocketPayload).data?.name !== undefined);

/** The transports a socket was reported on (socket_connected, then socket_updated), in order. */
function transportsOf(events: AdminEvent[], id: string | undefined): string[] {
  const out: string[] = [];
  for (const [ev, payload] of events) {
    const p = payload as SocketPayload;
    if ((ev === 'socket_connected' || ev === 'socket_updated') && p.id === id && p.transport)
      out.push(p.transport);
  }
  return out;
}

function socketsCount(checkpoint: StatsCheckpoint, nsp: string): number | undefined {
  return checkpoint.stats.namespaces.find((n) => n.name === nsp)?.socketsCount;
}

function sumOf(totals: Record<string, number>, prefix: string): number {
  let sum = 0;
  for (const [key, count] of Object.entries(totals))
    if (key === prefix || key.startsWith(`${prefix}:`)) sum += count;
  return sum;
}

/** The counters whose values do not depend on timing or on the run's ports and ids. */
function stableTotals(totals: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, count] of Object.entries(totals))
    if (key.startsWith('raw') || key === 'packetsIn' || key === 'bytesIn') out[key] = count;
  return out;
}

/** A `server_stats` without what differs between two servers by nature (uptime, counters by second). */
function statsShape(checkpoint: StatsCheckpoint): unknown {
  const { stats } = checkpoint;
  return {
    serverId: stats.serverId,
    clientsCount: stats.clientsCount,
    pollingClientsCount: stats.pollingClientsCount,
    namespaces: [...stats.namespaces].sort((a, b) => a.name.localeCompare(b.name)),
    keys: Object.keys(stats).sort(),
  };
}

function sum(traffic: Traffic[], key: keyof Traffic): number {
  return traffic.reduce((total, t) => total + t[key], 0);
}

/**
 * Holds a polling session's WebSocket upgrade (an engine middleware, on both servers) until its
 * socket connected to `/`: otherwise whether the admin hears of the upgrade (socket_updated)
 * or sees the socket connect on websocket already depends on which of two HTTP connections
 * the server reads first. Released after `ms` whatever happens, so that nothing hangs.
 */
function holdUpgradesUntilConnected(io: ScenarioServer, ms = 5000): void {
  const connected = new Set<string>();
  const held = new Map<string, () => void>();
  io.on('connection', (socket) => {
    connected.add(socket.conn.id);
    held.get(socket.conn.id)?.();
  });
  io.engine.use((req, _res, next) => {
    const sid = new URL(req.url ?? '', 'http://localhost').searchParams.get('sid');
    if (req.headers.upgrade !== 'websocket' || sid === null || connected.has(sid)) return next();
    const timer = setTimeout(() => release(), ms);
    const release = () => {
      clearTimeout(timer);
      held.delete(sid);
      next();
    };
    held.set(sid, release);
  });
}

/** The app of the main scenario: a middleware and a handler writing `socket.data`, rooms, acks, binary. */
function setUpApp(io: ScenarioServer): void {
  holdUpgradesUntilConnected(io);
  io.use((socket, next) => {
    // Set before admin-ui wraps socket.data in its Proxy: it must be carried over.
    socket.data.role = 'user';
    next();
  });
  io.on('connection', (socket) => {
    socket.data.name = socket.handshake.query.name;
    socket.on('hello', (text: string, ack: (reply: unknown) => void) => {
      socket.join('room-a');
      ack({ got: text, role: socket.data.role });
      socket.emit('welcome', Buffer.from([1, 2, 3]));
    });
  });
  instrument(instrumentable(io), { auth: false, mode: 'development', serverId: 'admin-ui-test' });
  // Created after instrument(): admin-ui hears of it through `new_namespace`.
  const orders = io.of('/orders');
  orders.on('connection', (socket) => {
    socket.data.name = socket.handshake.query.name;
    socket.on('order', (n: number) => orders.emit('order:accepted', n));
  });
}

interface MainResult {
  events: unknown[];
  transports: Record<string, string[]>;
  connectedStats: unknown;
  finalStats: unknown;
  totals: Record<string, number>;
  /** packetsOut less the `server_stats` packets (how many came depends on timing). */
  packetsOutOfScenario: number;
  adminListeners: Record<string, number>;
}

async function mainScenario(kind: ServerKind): Promise<MainResult> {
  return withServer(kind, setUpApp, async (run) => {
    const { labels } = run;
    const started = Date.now();
    const admin = run.open('/admin', { transports: ['websocket'] });
    const rec = new AdminRecorder(admin);
    await connected(admin);
    label(run, admin, 'admin');
    await rec.until('all_sockets', seen('all_sockets'));
    const adminSocket = run.io.of('/admin').sockets.get(admin.id!)!;
    const adminListeners = Object.fromEntries(
      ['emit', 'join', 'leave', '_disconnect'].map((ev) => [ev, adminSocket.listenerCount(ev)]),
    );

    const ws = run.open('/', { transports: ['websocket'], query: { name: 'ws' } });
    const wsTraffic = countTraffic(ws);
    await connected(ws);
    label(run, ws, 'ws');
    await rec.until('data update of ws', dataUpdated(ws.id));

    const up = run.open('/', { query: { name: 'up' } });
    const upTraffic = countTraffic(up);
    await connected(up);
    label(run, up, 'up');
    await rec.until(
      'upgrade of up',
      (events) => dataUpdated(up.id)(events) && transportsOf(events, up.id).at(-1) === 'websocket',
    );

    const poll = run.open('/orders', { transports: ['polling'], query: { name: 'poll' } });
    const pollTraffic = countTraffic(poll);
    await connected(poll);
    label(run, poll, 'poll');
    await rec.until('data update of poll', dataUpdated(poll.id));

    // An event with an ack, a room join and a binary emit from the app's handler.
    const welcome = next(ws, 'welcome');
    expect(await ws.timeout(5000).emitWithAck('hello', 'hi')).toEqual({ got: 'hi', role: 'user' });
    await welcome;
    await rec.until(
      'event_sent welcome',
      seen('event_sent', (a) => (a[2] as unknown[])[0] === 'welcome'),
    );

    // The admin's actions, each with a filter.
    const fromAdmin = next(ws, 'from-admin');
    admin.emit('emit', '/', 'room-a', 'from-admin', 42);
    expect(await fromAdmin).toEqual([42]);
    await rec.until(
      'event_sent from-admin',
      seen('event_sent', (a) => (a[2] as unknown[])[0] === 'from-admin'),
    );
    admin.emit('join', '/', 'room-b', ws.id);
    await rec.until(
      'room_joined room-b',
      seen('room_joined', (a) => a[1] === 'room-b'),
    );
    admin.emit('leave', '/', 'room-a', ws.id);
    await rec.until(
      'room_left room-a',
      seen('room_left', (a) => a[1] === 'room-a'),
    );

    // A broadcast from the app, over polling.
    const accepted = next(poll, 'order:accepted');
    poll.emit('order', 7);
    expect(await accepted).toEqual([7]);
    await rec.until(
      'event_sent order:accepted',
      seen('event_sent', (a) => (a[2] as unknown[])[0] === 'order:accepted'),
    );

    const whileConnected = await rec.untilStats(
      'server_stats with the three app clients',
      (c) =>
        c.stats.clientsCount === 4 &&
        c.stats.pollingClientsCount === 1 &&
        socketsCount(c, '/') === 2 &&
        socketsCount(c, '/orders') === 1,
    );

    // `_disconnect` of a namespace, then of a room with `close`; a client leaving by itself.
    // socket.io-client forgets its id on disconnect: keep them.
    const [pollId, wsId, upId] = [poll.id, ws.id, up.id];
    const pollGone = next(poll, 'disconnect');
    admin.emit('_disconnect', '/orders', false);
    expect(await pollGone).toEqual(['io server disconnect', undefined]);
    await rec.until(
      'room_left of poll',
      seen('room_left', (a) => a[1] === pollId),
    );
    const wsGone = next(ws, 'disconnect');
    admin.emit('_disconnect', '/', true, 'room-b');
    expect((await wsGone)[0]).toBe('io server disconnect');
    await rec.until(
      'room_left room-b',
      seen('room_left', (a) => a[1] === 'room-b'),
    );
    up.disconnect();
    await rec.until(
      'room_left of up',
      seen('room_left', (a) => a[1] === upId),
    );

    const end = await rec.untilStats(
      'server_stats after the three app clients left',
      (c) => sumOf(c.totals, 'rawDisconnection') === 3 && c.stats.clientsCount === 1,
    );

    // Absolute expectations, whichever the server.
    const connectedEvent = rec.events.find(
      ([ev, p]) => ev === 'socket_connected' && about(wsId)([p]),
    );
    const handshake = (connectedEvent![1] as SocketPayload).handshake!;
    expect(handshake.issued).toBeGreaterThanOrEqual(started - 1000);
    expect(Math.abs(Date.parse(handshake.time) - handshake.issued)).toBeLessThan(1000);
    expect(handshake).toMatchObject({ address: '127.0.0.1', query: { name: 'ws', EIO: '4' } });
    expect(end.stats.pollingClientsCount).toBe(0);
    expect(socketsCount(end, '/')).toBe(0);
    expect(socketsCount(end, '/orders')).toBe(0);
    expect(end.totals.rawConnection).toBe(4);
    // The counters are the clients' own traffic: every message packet in and out, byte for byte
    // (the `server_stats` being read is counted in the next one, hence adminTrafficBefore).
    const apps = [wsTraffic, upTraffic, pollTraffic];
    expect(end.totals.packetsIn).toBe(sum([rec.traffic, ...apps], 'sentPackets'));
    expect(end.totals.bytesIn).toBe(sum([rec.traffic, ...apps], 'sentBytes'));
    expect(end.totals.packetsOut).toBe(sum([end.adminTrafficBefore, ...apps], 'receivedPackets'));
    expect(end.totals.bytesOut).toBe(sum([end.adminTrafficBefore, ...apps], 'receivedBytes'));

    return {
      events: rec.events.map((event) => normalise(event, labels)),
      transports: Object.fromEntries(
        [admin.id, wsId, upId, pollId].map((id) => [
          labels.get(id!)!,
          transportsOf(rec.events, id),
        ]),
      ),
      connectedStats: statsShape(whileConnected),
      finalStats: statsShape(end),
      totals: stableTotals(end.totals),
      packetsOutOfScenario: end.totals.packetsOut - (end.statsCount - 1),
      adminListeners,
    };
  });
}

describe('@socket.io/admin-ui on wiregate, compared with socket.io 4.8', () => {
  test('every panel gets the same data and the admin actions act alike (websocket, polling, upgrade)', async () => {
    const results = await onBoth(mainScenario);
    const ours = results.wiregate;
    expect(ours).toEqual(results['socket.io']);

    // What the admin saw, in order.
    const names = (ours.events as [string, ...unknown[]][]).map((e) => e[0]);
    expect(names.slice(0, 4)).toEqual(['room_joined', 'socket_connected', 'config', 'all_sockets']);
    expect(ours.events).toContainEqual(['event_received', '/', 'ws', ['hello', 'hi'], '<date>']);
    expect(ours.events).toContainEqual([
      'event_sent',
      '/',
      'ws',
      ['welcome', { bytes: [1, 2, 3] }],
      '<date>',
    ]);
    expect(ours.events).toContainEqual(['event_sent', '/', 'ws', ['from-admin', 42], '<date>']);
    expect(ours.events).toContainEqual([
      'event_sent',
      '/orders',
      'poll',
      ['order:accepted', 7],
      '<date>',
    ]);
    expect(ours.events).toContainEqual(['room_joined', '/', 'room-b', 'ws', '<date>']);
    expect(ours.events).toContainEqual(['room_left', '/', 'room-a', 'ws', '<date>']);
    expect(ours.events).toContainEqual([
      'socket_updated',
      { id: 'ws', nsp: '/', data: { role: 'user', name: 'ws' } },
    ]);
    expect(ours.events).toContainEqual([
      'socket_disconnected',
      '/orders',
      'poll',
      'server namespace disconnect',
      '<date>',
    ]);
    expect(ours.events).toContainEqual([
      'socket_disconnected',
      '/',
      'ws',
      'server namespace disconnect',
      '<date>',
    ]);
    expect(ours.events).toContainEqual([
      'socket_disconnected',
      '/',
      'up',
      'client namespace disconnect',
      '<date>',
    ]);
    expect(ours.events).toContainEqual([
      'config',
      {
        supportedFeatures: [
          'EMIT',
          'JOIN',
          'LEAVE',
          'DISCONNECT',
          'MJOIN',
          'MLEAVE',
          'MDISCONNECT',
          'AGGREGATED_EVENTS',
          'ALL_EVENTS',
        ],
      },
    ]);
    expect(ours.adminListeners).toEqual({ emit: 1, join: 1, leave: 1, _disconnect: 1 });
    expect(ours.transports.ws).toEqual(['websocket']);
    expect(ours.transports.poll).toEqual(['polling']);
    expect(ours.transports.up).toEqual(['polling', 'websocket']);
    expect(ours.events).toContainEqual([
      'socket_updated',
      { id: 'up', nsp: '/', transport: 'websocket' },
    ]);
    expect(ours.connectedStats).toMatchObject({
      clientsCount: 4,
      pollingClientsCount: 1,
      namespaces: [
        { name: '/', socketsCount: 2 },
        { name: '/admin', socketsCount: 1 },
        { name: '/orders', socketsCount: 1 },
      ],
    });
    expect(ours.totals).toMatchObject({
      rawConnection: 4,
      'rawDisconnection:forced close': 1,
      'rawDisconnection:transport close': 2,
    });
  });
});

/** bcrypt hash (cost 4, so that the test stays fast) of the password `s3cret`. */
const ADMIN_PASSWORD_HASH = '$2a$04$gCJJsVE02qUxClV/8b1XPO518dqAJSSeKPsNpMFtngZNGb250xOYi';

interface AuthResult {
  refused: string;
  /** What the admin who logged in received up to all_sockets, in order (`connect` included). */
  loggedIn: string[];
  sessionId: unknown;
  features: unknown;
  /** Whether a second admin got in with the session id alone. */
  resumed: boolean;
  adminListeners: Record<string, number>;
}

async function authScenario(kind: ServerKind): Promise<AuthResult> {
  const setUp = (io: ScenarioServer) =>
    instrument(instrumentable(io), {
      auth: { type: 'basic', username: 'admin', password: ADMIN_PASSWORD_HASH },
      readonly: true,
      mode: 'development',
    });
  return withServer(kind, setUp, async (run) => {
    const intruder = run.open('/admin', {
      transports: ['websocket'],
      auth: { username: 'admin', password: 'guess' },
    });
    const refused = (await connected(intruder).then(
      () => 'connected',
      (err: Error) => err.message,
    )) as string;

    const admin = run.open('/admin', { auth: { username: 'admin', password: 's3cret' } });
    const loggedIn: string[] = [];
    let sessionId: unknown;
    let features: unknown;
    // Up to all_sockets: later events (its upgrade, the next admin) depend on timing.
    let loggingIn = true;
    admin.on('connect', () => loggedIn.push('connect'));
    admin.onAny((event: string, ...args: unknown[]) => {
      if (loggingIn) loggedIn.push(event);
      if (event === 'all_sockets') loggingIn = false;
      if (event === 'session') sessionId = args[0];
      if (event === 'config')
        features = (args[0] as { supportedFeatures: unknown }).supportedFeatures;
    });
    const allSockets = next(admin, 'all_sockets');
    await connected(admin);
    await allSockets;

    const again = run.open('/admin', { transports: ['websocket'], auth: { sessionId } });
    const resumed = await connected(again).then(
      () => true,
      () => false,
    );
    // readonly: the admin's actions have no handler on its socket.
    const adminSocket = run.io.of('/admin').sockets.get(admin.id!)!;
    const adminListeners = Object.fromEntries(
      ['emit', 'join', 'leave', '_disconnect'].map((ev) => [ev, adminSocket.listenerCount(ev)]),
    );
    return { refused, loggedIn, sessionId: typeof sessionId, features, resumed, adminListeners };
  });
}

interface ProductionResult {
  names: string[];
  stats: unknown;
}

/** `mode: 'production'`: aggregated counters only, none of the per-socket events. */
async function productionScenario(kind: ServerKind): Promise<ProductionResult> {
  const setUp = (io: ScenarioServer) => {
    io.on('connection', (socket) => {
      socket.data.name = 'app';
      socket.on('ping', (ack: (reply: string) => void) => ack('pong'));
    });
    instrument(instrumentable(io), { auth: false, mode: 'production', serverId: 'prod' });
  };
  return withServer(kind, setUp, async (run) => {
    const admin = run.open('/admin', { transports: ['websocket'] });
    const rec = new AdminRecorder(admin);
    await connected(admin);
    await rec.until('config', seen('config'));
    const app = run.open('/', { transports: ['websocket'] });
    await connected(app);
    expect(await app.timeout(5000).emitWithAck('ping')).toBe('pong');
    // The stats are written after the app client connected and sent its event: had admin-ui
    // emitted socket_connected or event_received, they would have come before on this connection.
    const checkpoint = await rec.untilStats(
      'server_stats with the app client',
      (c) => socketsCount(c, '/') === 1 && (c.totals.packetsIn ?? 0) >= 3,
    );
    expect(checkpoint.stats.clientsCount).toBe(2);
    expect(checkpoint.totals.rawConnection).toBe(2);
    return { names: rec.events.map(([ev]) => ev), stats: statsShape(checkpoint) };
  });
}

describe('@socket.io/admin-ui options on wiregate, compared with socket.io 4.8', () => {
  test('basic auth with a bcrypt hash, a session id, and readonly mode', async () => {
    const results = await onBoth(authScenario);
    expect(results.wiregate).toEqual(results['socket.io']);
    expect(results.wiregate).toEqual({
      refused: 'invalid credentials',
      // admin-ui emits `session` from its middleware, before the socket is connected, and its own
      // room_joined precedes the CONNECT packet: the client holds both and delivers them first.
      loggedIn: ['session', 'room_joined', 'connect', 'socket_connected', 'config', 'all_sockets'],
      sessionId: 'string',
      features: ['AGGREGATED_EVENTS', 'ALL_EVENTS'],
      resumed: true,
      adminListeners: { emit: 0, join: 0, leave: 0, _disconnect: 0 },
    });
  });

  test('a dynamic namespace created after instrument(), binary events over polling', async () => {
    const results = await onBoth(dynamicScenario);
    expect(results.wiregate).toEqual(results['socket.io']);
    expect(results.wiregate).toContainEqual(['room_joined', '/team-7', 'team', 'team', '<date>']);
    expect(results.wiregate).toContainEqual([
      'event_received',
      '/team-7',
      'team',
      ['bin', { bytes: [1, 2] }],
      '<date>',
    ]);
    expect(results.wiregate).toContainEqual([
      'event_sent',
      '/team-7',
      'team',
      ['back', { bytes: [1, 2] }, { nested: { bytes: [9] } }],
      '<date>',
    ]);
  });

  test("the UI's msgpack parser setting, on a server given socket.io-msgpack-parser", async () => {
    const results = await onBoth(msgpackScenario);
    expect(results.wiregate).toEqual(results['socket.io']);
    expect(results.wiregate).toContainEqual([
      'event_received',
      '/',
      'app',
      ['echo', { n: 1 }],
      '<date>',
    ]);
    expect(results.wiregate).toContainEqual(['room_joined', '/', 'app', 'app', '<date>']);
  });

  test('the hosted UI (admin.socket.io) gets the CORS headers of a credentialed request', async () => {
    const results = await onBoth(hostedUiCors);
    expect(results.wiregate).toEqual(results['socket.io']);
    const credentialed = { allowOrigin: HOSTED_UI, allowCredentials: 'true' };
    expect(results.wiregate).toEqual({ get: credentialed, post: credentialed, closed: 'ok' });
  });

  test("mode 'production': the aggregated counters only", async () => {
    const results = await onBoth(productionScenario);
    expect(results.wiregate).toEqual(results['socket.io']);
    expect(results.wiregate.names).toEqual(['config']);
  });
});

/** A dynamic namespace's child, created on the first CONNECT, over polling with binary both ways. */
async function dynamicScenario(kind: ServerKind): Promise<unknown[]> {
  const setUp = (io: ScenarioServer) => {
    instrument(instrumentable(io), { auth: false, mode: 'development' });
    const teams = (io.of as unknown as (name: RegExp) => ScenarioNamespace)(/^\/team-\d+$/);
    teams.on('connection', (socket) => {
      socket.on('bin', (data: unknown, ack: (reply: unknown) => void) => {
        socket.emit('back', data, { nested: Buffer.from([9]) });
        ack('ok');
      });
    });
  };
  return withServer(kind, setUp, async (run) => {
    const admin = run.open('/admin', { transports: ['websocket'] });
    const rec = new AdminRecorder(admin);
    await connected(admin);
    label(run, admin, 'admin');
    await rec.until('all_sockets', seen('all_sockets'));
    const team = run.open('/team-7', { transports: ['polling'] });
    await connected(team);
    label(run, team, 'team');
    const back = next(team, 'back');
    expect(await team.timeout(5000).emitWithAck('bin', Buffer.from([1, 2]))).toBe('ok');
    await back;
    await rec.until(
      'event_sent back',
      seen('event_sent', (a) => (a[2] as unknown[])[0] === 'back'),
    );
    return rec.events.map((event) => normalise(event, run.labels));
  });
}

/** The UI's "msgpack" parser setting, on a server given socket.io-msgpack-parser. */
async function msgpackScenario(kind: ServerKind): Promise<unknown[]> {
  const setUp = (io: ScenarioServer) => {
    instrument(instrumentable(io), { auth: false, mode: 'development' });
    io.on('connection', (socket) => {
      socket.on('echo', (data: unknown, ack: (reply: unknown) => void) => ack(data));
    });
  };
  return withServer(
    kind,
    setUp,
    async (run) => {
      const admin = run.open('/admin', { transports: ['websocket'], parser: msgpackParser });
      const rec = new AdminRecorder(admin);
      await connected(admin);
      label(run, admin, 'admin');
      await rec.until('all_sockets', seen('all_sockets'));
      const app = run.open('/', { transports: ['websocket'], parser: msgpackParser });
      await connected(app);
      label(run, app, 'app');
      expect(await app.timeout(5000).emitWithAck('echo', { n: 1 })).toEqual({ n: 1 });
      await rec.until(
        'event_received echo',
        seen('event_received', (a) => a[1] === app.id),
      );
      return rec.events.map((event) => normalise(event, run.labels));
    },
    { parser: msgpackParser },
  );
}

/** The CORS headers of a polling handshake from the hosted admin UI (`withCredentials: true`). */
async function hostedUiCors(kind: ServerKind): Promise<Record<string, unknown>> {
  const setUp = (io: ScenarioServer) =>
    instrument(instrumentable(io), { auth: false, mode: 'development' });
  return withServer(
    kind,
    setUp,
    async (run) => {
      const base = `${run.url}/socket.io/?EIO=4&transport=polling`;
      const open = await fromHostedUi('GET', base);
      const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
      // The session ends as a polling client ends it: a close packet, in a POST.
      const close = await fromHostedUi('POST', `${base}&sid=${sid}`, '1');
      const cors = (headers: IncomingHttpHeaders) => ({
        allowOrigin: headers['access-control-allow-origin'],
        allowCredentials: headers['access-control-allow-credentials'],
      });
      return { get: cors(open.headers), post: cors(close.headers), closed: close.body };
    },
    { cors: { origin: [HOSTED_UI], credentials: true } },
  );
}

/** A request as the hosted UI's polling transport makes it (from its origin). */
function fromHostedUi(
  method: 'GET' | 'POST',
  url: string,
  body?: string,
): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return bounded(
    new Promise((resolve, reject) => {
      const headers: OutgoingHttpHeaders = { Origin: HOSTED_UI };
      if (body !== undefined) headers['Content-Type'] = 'text/plain;charset=UTF-8';
      const req = httpRequest(url, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    }),
    5000,
    `${method} response`,
  );
}

const HOSTED_UI = 'https://admin.socket.io';

describe('@socket.io/admin-ui on a createApp app', () => {
  test("instrumented through app.server: the gateways' events, socket.data from a guard, the admin's actions", async () => {
    const app = await createApp({ gateways: [EchoGateway, GuardedGateway] });
    const clients: ClientSocket[] = [];
    let sessions = new Set<EngineSessionLike>();
    const open = (url: string, opts: Parameters<typeof connectClient>[1] = {}) => {
      const client = connectClient(url, { forceNew: true, reconnection: false, ...opts });
      clients.push(client);
      return client;
    };
    try {
      const port = await app.listen(0);
      sessions = trackSessions(app.server.engine);
      // After listen(): admin-ui finds io.engine and counts the raw connections and packets.
      instrument(app.server as unknown as SocketIoServer, { auth: false, mode: 'development' });
      const url = `http://127.0.0.1:${port}`;
      const admin = open(`${url}/admin`);
      const rec = new AdminRecorder(admin);
      await connected(admin);
      await rec.until('all_sockets', seen('all_sockets'));

      const echo = open(url, { transports: ['websocket'] });
      await connected(echo);
      const pong = next(echo, 'pong');
      echo.emit('ping', 5);
      expect(await pong).toEqual([5]);
      await rec.until(
        'event_sent pong',
        seen('event_sent', (a) => (a[2] as unknown[])[0] === 'pong'),
      );
      expect(rec.events).toContainEqual([
        'event_received',
        '/',
        echo.id,
        ['ping', 5],
        expect.any(String),
      ]);
      expect(rec.events).toContainEqual([
        'event_sent',
        '/',
        echo.id,
        ['pong', 5],
        expect.any(String),
      ]);

      // The connection guard sets socket.data.user before admin-ui wraps socket.data in its
      // Proxy; the handlers and the roles guard read it through the Proxy.
      const secure = open(`${url}/secure`, { transports: ['websocket'], auth: { token: 'alice' } });
      await connected(secure);
      await rec.until('socket_connected on /secure', seen('socket_connected', about(secure.id)));
      const connectedEvent = rec.events.find(
        ([ev, p]) => ev === 'socket_connected' && about(secure.id)([p]),
      );
      expect((connectedEvent![1] as SocketPayload).data).toEqual({
        user: { name: 'alice', role: 'admin' },
      });
      expect(await secure.timeout(5000).emitWithAck('me')).toEqual({
        name: 'alice',
        role: 'admin',
      });
      expect(await secure.timeout(5000).emitWithAck('admin:ban', 'bob')).toBe('banned bob');

      // The admin's actions reach the gateways' sockets.
      const notice = next(secure, 'notice');
      admin.emit('emit', '/secure', secure.id, 'notice', 'hello');
      expect(await notice).toEqual(['hello']);
      admin.emit('join', '/secure', 'ops', secure.id);
      await rec.until(
        'room_joined ops',
        seen('room_joined', (a) => a[1] === 'ops'),
      );
      const kicked = next(echo, 'disconnect');
      admin.emit('_disconnect', '/', false);
      expect((await kicked)[0]).toBe('io server disconnect');

      const checkpoint = await rec.untilStats(
        'server_stats of the app',
        (c) =>
          socketsCount(c, '/secure') === 1 &&
          socketsCount(c, '/') === 0 &&
          c.totals.rawConnection === 3,
      );
      expect(checkpoint.totals.packetsIn).toBeGreaterThan(0);
      expect(checkpoint.totals.packetsOut).toBeGreaterThan(0);
    } finally {
      for (const client of clients) client.close();
      await untilEmpty(sessions, 2000);
      await app.close();
    }
  });
});

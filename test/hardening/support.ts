// Shared pieces of the hardening suite: a live server on 127.0.0.1, raw WebSocket and
// raw polling clients, an unhandled-rejection recorder, and the "nothing leaked" checks.
// Every wait has a deadline; nothing sleeps.
import { createHook } from 'node:async_hooks';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type Server as HttpServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type ServerOptions } from '../../src/server';
import type { EngineSession } from '../../src/engine';

export interface Live {
  io: Server;
  http: HttpServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

const lives = new Set<Live>();
const sockets = new Set<WebSocket>();
const clients = new Set<ClientSocket>();

/** Starts a Server on a fresh HTTP server listening on a free loopback port. */
export async function live(opts: ServerOptions = {}): Promise<Live> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, ...opts });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const l: Live = {
    io,
    http,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      lives.delete(l);
      const closing = io.close();
      // Cleanup must not hang on a request the server left open; tests about close call io.close() themselves.
      http.closeAllConnections();
      await closing;
    },
  };
  lives.add(l);
  return l;
}

/** Closes every client and server the current test opened (call in afterEach). */
export async function closeEverything(): Promise<void> {
  for (const c of clients) c.disconnect();
  clients.clear();
  for (const ws of sockets) ws.terminate();
  sockets.clear();
  await Promise.all([...lives].map((l) => l.close()));
}

/** Races a promise against a deadline; the timer never outlives the race. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** Official client, websocket only unless told otherwise, no reconnection. */
export function officialClient(
  l: Live,
  nsp = '/',
  opts: Record<string, unknown> = {},
): ClientSocket {
  const c = connectClient(l.url + nsp, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...opts,
  });
  clients.add(c);
  return c;
}

/** Connects an official client and proves the server answers: an ack round-trip on `echo` (see installEcho). */
export async function assertAnswered(l: Live, opts: Record<string, unknown> = {}): Promise<void> {
  const c = officialClient(l, '/', opts);
  await within(5000, 'the well-behaved client to connect', nextEvent(c, 'connect'));
  const reply = await within(5000, 'the echo ack', c.timeout(4000).emitWithAck('echo', 'hello'));
  expect(reply).toBe('hello');
  // Wait for the server to see the client go: a polling client's goodbye is a request of its own.
  const conn = l.io.of('/').sockets.get(c.id!)?.conn;
  const gone: Promise<unknown> =
    conn && conn.readyState !== 'closed' ? once(conn, 'close') : Promise.resolve();
  c.disconnect();
  clients.delete(c);
  await within(5000, 'the well-behaved client to leave', gone);
}

/** Makes `/` acknowledge `echo` with its first argument (assertAnswered needs it). */
export function installEcho(io: Server): void {
  io.on('connection', (socket) => {
    socket.on('echo', (value: unknown, ack?: unknown) => {
      if (typeof ack === 'function') ack(value);
    });
  });
}

/** Raw Engine.IO-over-WebSocket client; collects frames, never answers pings. */
export interface RawWs {
  ws: WebSocket;
  frames: (string | Buffer)[];
  /** Resolves once the open packet arrived (or rejects if the socket closed first). */
  opened: Promise<void>;
  /** Resolves with the close code. */
  closed: Promise<number>;
  /** Resolves with the first frame (already received or future) matching `match`. */
  waitFor(match: (f: string | Buffer) => boolean, ms?: number): Promise<string | Buffer>;
}

export function rawWs(l: Live, query = '', path = '/socket.io/'): RawWs {
  const ws = new WebSocket(`ws://127.0.0.1:${l.port}${path}?EIO=4&transport=websocket${query}`);
  sockets.add(ws);
  const frames: (string | Buffer)[] = [];
  const waiters: {
    match: (f: string | Buffer) => boolean;
    resolve: (f: string | Buffer) => void;
  }[] = [];
  ws.on('error', () => undefined);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const f = isBinary ? data : data.toString();
    frames.push(f);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].match(f)) waiters.splice(i, 1)[0].resolve(f);
    }
  });
  const closed = new Promise<number>((resolve) =>
    ws.once('close', (code: number) => {
      sockets.delete(ws);
      resolve(code);
    }),
  );
  const waitFor = (match: (f: string | Buffer) => boolean, ms = 5000) => {
    const seen = frames.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return within(
      ms,
      'a matching frame',
      new Promise<string | Buffer>((resolve) => waiters.push({ match, resolve })),
    );
  };
  const opened = Promise.race([
    waitFor((f) => typeof f === 'string' && f.startsWith('0{'), 5000).then(() => undefined),
    closed.then((code) => Promise.reject(new Error(`closed before open (${code})`))),
  ]);
  opened.catch(() => undefined);
  return { ws, frames, opened, closed, waitFor };
}

/** One raw HTTP exchange with the server (loopback), body as text. */
export function httpExchange(
  l: Live,
  opts: { method?: string; path: string; body?: string | Buffer; headers?: Record<string, string> },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return within(
    5000,
    `${opts.method ?? 'GET'} ${opts.path}`,
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: l.port,
          method: opts.method ?? 'GET',
          path: opts.path,
          headers: opts.headers,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    }),
  );
}

/** Opens a polling session by hand and returns its sid. */
export async function pollingOpen(l: Live, query = ''): Promise<string> {
  const res = await httpExchange(l, { path: `/socket.io/?EIO=4&transport=polling${query}` });
  expect(res.status).toBe(200);
  return JSON.parse(res.body.slice(1)).sid as string;
}

/** Records unhandled rejections and uncaught exceptions while installed. */
export function recordFaults(): { faults: unknown[]; stop(): void } {
  const faults: unknown[] = [];
  const onRejection = (reason: unknown) => faults.push(reason);
  const onException = (err: unknown) => faults.push(err);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    faults,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** Resolves once every engine session of `io` has closed (deadline `ms`). */
export async function untilNoSessions(io: Server, ms = 5000): Promise<void> {
  const open = [...io.engine.clients.values()] as EngineSession[];
  await within(
    ms,
    `${open.length} sessions to close`,
    Promise.all(open.map((s) => (s.readyState === 'closed' ? null : once(s, 'close')))),
  );
}

/** Every registry the server keeps per client is empty: sessions, sockets, rooms. */
export function expectNothingLeaked(io: Server): void {
  expect(io.engine.clientsCount).toBe(0);
  for (const [name, nsp] of io.nsps) {
    expect({ name, sockets: nsp.sockets.size }).toEqual({ name, sockets: 0 });
    expect({ name, rooms: [...nsp.adapter.rooms.keys()] }).toEqual({ name, rooms: [] });
    expect({ name, sids: [...nsp.adapter.sids.keys()] }).toEqual({ name, sids: [] });
  }
}

/** Terminates every raw socket opened so far and waits for the server to forget them. */
export async function dropRawClients(io: Server): Promise<void> {
  for (const ws of sockets) ws.terminate();
  sockets.clear();
  await untilNoSessions(io);
}

/** Counts the timers `process.getActiveResourcesInfo()` reports (ours, the clients' and jest's). */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

const SRC = join(__dirname, '..', '..', 'src') + '/';

/** The frame that called setTimeout/setInterval (not Node's own callers such as the HTTP date cache). */
function callerOfTimer(lines: string[]): string | undefined {
  const at = lines.findIndex((line) => /\bat (setTimeout|setInterval)\b/.test(line));
  if (at === -1) return undefined;
  return lines[at].includes(SRC) ? lines[at] : lines[at + 1];
}

/**
 * Tracks the timers (setTimeout/setInterval) created by wiregate's own code under src/ and
 * not yet fired or cleared, so a test can tell our leftovers from the clients' and jest's.
 */
export function trackServerTimers(): { pending(): Promise<string[]>; stop(): void } {
  const live = new Map<number, string>();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout') return;
      const frame = callerOfTimer((new Error().stack ?? '').split('\n'));
      if (frame !== undefined && frame.includes(SRC)) live.set(id, frame.trim());
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    // destroy hooks run asynchronously: let them land before reading.
    pending: () =>
      new Promise((resolve) => setImmediate(() => setImmediate(() => resolve([...live.values()])))),
    stop() {
      hook.disable();
      Error.stackTraceLimit = limit;
    },
  };
}

/** Runs `fn` on at most `width` items at a time. */
export async function inBatches<T>(
  items: T[],
  width: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += width)
    await Promise.all(items.slice(i, i + width).map(fn));
}

/** Resolves with the arguments of the next `ev` on any emitter with `once` (client sockets included). */
export function nextEvent(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of any signature
  emitter: { once(ev: string, fn: (...args: any[]) => void): unknown },
  ev: string,
): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(ev, (...args: unknown[]) => resolve(args)));
}

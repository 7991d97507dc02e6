// Shared by the recovery tests: one scenario run against a wiregate server and a socket.io 4.8
// server, with the official client, so that what the client observes can be compared.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer, type ServerOptions as SocketIoOptions } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type ServerOptions } from '../../src/server';
import { untilClosed } from '../support/harness';

export type Transport = 'websocket' | 'polling';

/** The server-side calls the scenarios make: socket.io's and wiregate's servers both have them. */
export interface AnyServerSocket {
  id: string;
  recovered: boolean;
  rooms: Set<string>;
  data: unknown;
  join(room: string | string[]): unknown;
  emit(ev: string, ...args: unknown[]): boolean;
  on(ev: string, fn: (...args: unknown[]) => void): unknown;
  once(ev: string, fn: (...args: unknown[]) => void): unknown;
  disconnect(close?: boolean): unknown;
  conn: { close(): unknown };
}

type Emitting = { emit(ev: string, ...args: unknown[]): unknown };

export interface AnyServer {
  on(ev: 'connection', fn: (socket: AnyServerSocket) => void): unknown;
  use(fn: (socket: AnyServerSocket, next: (err?: Error) => void) => void): unknown;
  emit(ev: string, ...args: unknown[]): unknown;
  to(room: string): Emitting;
  except(room: string): Emitting;
  volatile: Emitting;
  local: Emitting;
  timeout(ms: number): { emit(ev: string, ...args: unknown[]): unknown };
  close(): Promise<void> | void;
}

/** A running server of either kind, and what closes it. */
export interface Running {
  kind: 'wiregate' | 'socket.io';
  io: AnyServer;
  url: string;
  clients: ClientSocket[];
  /** A client of namespace `nsp` (default the main one). */
  connect(transport: Transport, opts?: Record<string, unknown>, nsp?: string): ClientSocket;
  close(): Promise<void>;
}

const running: Running[] = [];

/** Bounded wait: a test never hangs on an event that does not come. */
export function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** The arguments of the next `event`, within the bound. */
export function next(
  emitter: { once(ev: string, fn: (...args: unknown[]) => void): unknown },
  event: string,
): Promise<unknown[]> {
  return within(
    new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args))),
    `"${event}"`,
  );
}

async function listen(http: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function track(kind: Running['kind'], io: AnyServer, http: HttpServer, url: string): Running {
  const clients: ClientSocket[] = [];
  const sessions = trackSessions(io as unknown as WithEngine);
  const server: Running = {
    kind,
    io,
    url,
    clients,
    connect(transport, opts = {}, nsp = '') {
      const client = connectClient(url + nsp, {
        transports: [transport],
        forceNew: true,
        reconnection: false,
        ...opts,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      // A polling client sends its close in a request of its own: let the server see it (the
      // session ends) before the server goes, or the request outlives the test.
      await untilClosed(sessions, CLIENT_CLOSE_GRACE_MS);
      const closing = io.close();
      http.closeAllConnections();
      await closing;
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  running.push(server);
  return server;
}

/** Longest wait for clients' closing requests before the server closes anyway. */
const CLIENT_CLOSE_GRACE_MS = 1000;

type Session = { once(ev: 'close', fn: () => void): unknown };
type WithEngine = { engine: { on(ev: 'connection', fn: (session: Session) => void): unknown } };

/** The open engine sessions of a server (both engines emit `connection` and a session `close`). */
function trackSessions(io: WithEngine): Set<Session> {
  const sessions = new Set<Session>();
  io.engine.on('connection', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return sessions;
}

/** A wiregate server on a free port. */
export async function startWiregate(opts: ServerOptions): Promise<Running> {
  const http = createServer();
  const io = new Server(http, opts);
  return track('wiregate', io as unknown as AnyServer, http, await listen(http));
}

/** A socket.io 4.8 server on a free port: the reference. */
export async function startSocketIo(opts: Partial<SocketIoOptions>): Promise<Running> {
  const http = createServer();
  const io = new SocketIoServer(http, opts);
  return track('socket.io', io as unknown as AnyServer, http, await listen(http));
}

/** Closes every server (and its clients) the current test started. */
export async function closeRunning(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.close()));
}

/**
 * What a client received: each event as `[name, ...args]`, with the trailing offset (a string
 * the two servers make differently) replaced by `'<offset>'`; the scenarios send no other strings
 * last. Buffers compare by bytes.
 */
export function recordEvents(client: ClientSocket): unknown[][] {
  const seen: unknown[][] = [];
  client.onAny((...args: unknown[]) => {
    const last = args[args.length - 1];
    const shown = typeof last === 'string' ? [...args.slice(0, -1), '<offset>'] : args;
    seen.push(JSON.parse(JSON.stringify(shown)) as unknown[]);
  });
  return seen;
}

/** The server-side socket of the next connection. */
export function nextServerSocket(server: Running): Promise<AnyServerSocket> {
  return within(
    new Promise((resolve) => {
      const onConnection = (socket: AnyServerSocket) => resolve(socket);
      (server.io as unknown as { once(ev: string, fn: (s: AnyServerSocket) => void): void }).once(
        'connection',
        onConnection,
      );
    }),
    'a server-side connection',
  );
}

/**
 * Cuts the client's connection the way socket.io's own tests do (`socket.io.engine.close()`: the
 * transport goes, no Socket.IO DISCONNECT is sent), and waits until both sides saw it.
 */
export async function dropConnection(
  client: ClientSocket,
  serverSocket: AnyServerSocket,
): Promise<string> {
  const serverSide = next(serverSocket, 'disconnect');
  const clientSide = next(client, 'disconnect');
  client.io.engine.close();
  const [[reason]] = await Promise.all([serverSide, clientSide]);
  return reason as string;
}

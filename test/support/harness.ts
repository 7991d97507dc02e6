// Starts servers on port 0, connects official socket.io-client clients, and closes
// everything a test opened (docs/internals/code-style.md, "Every test owns its resources").
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  io as connectClient,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from 'socket.io-client';
import { Server, type ServerOptions } from '../../src/server';
import type { EngineSession } from '../../src/engine';

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

export interface Harness {
  io: Server;
  httpServer: HttpServer;
  port: number;
  url: string;
  /** Connects a client to `nsp` (default `/`); websocket-only unless TEST_TRANSPORTS says otherwise. */
  connect(nsp?: string, opts?: ClientOptions): ClientSocket;
  close(): Promise<void>;
}

const opened: Harness[] = [];

// Emitters of every kind (typed server sockets, client sockets, engine sessions) must fit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => void;

/** Longest wait for clients to finish their closing handshake before the server closes anyway. */
const CLIENT_CLOSE_GRACE_MS = 1000;

/** Transports of test clients: `TEST_TRANSPORTS=polling` runs the same suite over polling. */
export function defaultTransports(): ('websocket' | 'polling')[] {
  const env = process.env.TEST_TRANSPORTS;
  if (env === 'polling') return ['polling'];
  if (env === 'default') return ['polling', 'websocket'];
  return ['websocket'];
}

/** Whether the suite runs over the WebSocket transport only (the default). */
export function isWebSocketOnly(): boolean {
  const transports = defaultTransports();
  return transports.length === 1 && transports[0] === 'websocket';
}

/** Starts a server on an HTTP server listening on a free port of 127.0.0.1. */
export async function startServer(
  opts: ServerOptions = {},
  httpServer: HttpServer = createServer(),
): Promise<Harness> {
  const io = new Server(httpServer, opts);
  const sessions = new Set<EngineSession>();
  io.engine.on('connection', (session: EngineSession) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const clients: ClientSocket[] = [];
  const harness: Harness = {
    io,
    httpServer,
    port,
    url,
    connect(nsp = '/', clientOpts = {}) {
      const client = connectClient(url + nsp, {
        transports: defaultTransports(),
        forceNew: true,
        reconnection: false,
        path: opts.path,
        ...clientOpts,
      });
      clients.push(client);
      return client;
    },
    async close() {
      // Subscribed first: a polling client may only notice the end (and send its last request)
      // after the server is gone; the test must outlive that.
      const enginesClosed = untilEnginesClosed(clients, CLIENT_CLOSE_GRACE_MS);
      for (const client of clients) {
        client.disconnect();
        // Also ends managers kept open by other sockets (`client.io.socket('/other')`).
        client.io.engine?.close();
      }
      // A polling client sends its close packet in a request of its own; let the server see
      // it (the session closes) before the test ends, or the request outlives the test.
      await untilClosed(sessions, CLIENT_CLOSE_GRACE_MS);
      const closing = io.close();
      // A test server has no requests to protect: end kept-alive connections (polling
      // clients, fetch) now instead of waiting for them to go idle.
      httpServer.closeAllConnections();
      await closing;
      await enginesClosed;
    },
  };
  opened.push(harness);
  return harness;
}

/** Resolves once every session of `sessions` (kept up to date by the caller) closed, or after `ms`. */
export function untilClosed(
  sessions: Set<{ once(ev: 'close', fn: () => void): unknown }>,
  ms: number,
): Promise<void> {
  if (sessions.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const check = () => {
      if (sessions.size > 0) return;
      clearTimeout(timer);
      resolve();
    };
    for (const session of sessions) session.once('close', () => process.nextTick(check));
  });
}

function untilEnginesClosed(clients: ClientSocket[], ms: number): Promise<void> {
  const open = clients
    .map((c) => c.io.engine)
    .filter((engine) => engine !== undefined && engine.readyState !== 'closed');
  if (open.length === 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  const all = Promise.all(
    open.map((engine) => new Promise<void>((resolve) => engine.once('close', () => resolve()))),
  );
  return Promise.race([all.then(() => undefined), cap]).finally(() => clearTimeout(timer));
}

/** Closes every harness opened by the current test. */
export async function closeAll(): Promise<void> {
  const all = opened.splice(0);
  await Promise.all(all.map((h) => h.close()));
}

/** Resolves with the arguments of the next `event` on an emitter-like object. */
export function waitFor<T = unknown>(
  emitter: { once(ev: string, fn: AnyFn): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) =>
    emitter.once(event, (...args: unknown[]) => resolve(args[0] as T)),
  );
}

/** Resolves with all arguments of the next `event`. */
export function waitForArgs(
  emitter: { once(ev: string, fn: AnyFn): unknown },
  event: string,
): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args)));
}

/** Resolves once every client is connected. */
export function connected(...clients: ClientSocket[]): Promise<void> {
  return Promise.all(
    clients.map((c) =>
      c.connected
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            c.once('connect', () => resolve());
            c.once('connect_error', reject);
          }),
    ),
  ).then(() => undefined);
}

/** Resolves with `n` values of `event`, in order of arrival. */
export function collect<T = unknown>(
  emitter: { on(ev: string, fn: AnyFn): unknown },
  event: string,
  n: number,
): Promise<T[]> {
  const values: T[] = [];
  return new Promise((resolve) => {
    emitter.on(event, (value: T) => {
      values.push(value);
      if (values.length === n) resolve(values);
    });
  });
}

/** Connects a client to `nsp` and resolves with it and its server-side socket. */
export async function connectSocket(
  h: Harness,
  nsp = '/',
  opts: ClientOptions = {},
): Promise<[ClientSocket, import('../../src/server').Socket]> {
  const client = h.connect(nsp, opts);
  await connected(client);
  const name = nsp.split('?')[0];
  const socket = h.io.nsps.get(name)?.sockets.get(client.id!);
  if (!socket) throw new Error(`no server-side socket for ${client.id} in ${name}`);
  return [client, socket];
}

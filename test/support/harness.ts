// Starts servers on port 0, connects official socket.io-client clients, and closes
// everything a test opened (style.md §9: every test owns its resources).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import { Server, type ServerOptions } from '../../src/server';

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

/** Transports of test clients: `TEST_TRANSPORTS=polling` runs the same suite over polling. */
export function defaultTransports(): ('websocket' | 'polling')[] {
  const env = process.env.TEST_TRANSPORTS;
  if (env === 'polling') return ['polling'];
  if (env === 'default') return ['polling', 'websocket'];
  return ['websocket'];
}

export async function startServer(opts: ServerOptions = {}): Promise<Harness> {
  const httpServer = createServer();
  const io = new Server(httpServer, opts);
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
      for (const client of clients) client.disconnect();
      await io.close();
    },
  };
  opened.push(harness);
  return harness;
}

/** Closes every harness opened by the current test. */
export async function closeAll(): Promise<void> {
  const all = opened.splice(0);
  await Promise.all(all.map((h) => h.close()));
}

/** Resolves with the arguments of the next `event` on an emitter-like object. */
export function waitFor<T = unknown>(
  emitter: { once(ev: string, fn: (...args: any[]) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args[0] as T)));
}

/** Resolves with all arguments of the next `event`. */
export function waitForArgs(
  emitter: { once(ev: string, fn: (...args: any[]) => void): unknown },
  event: string,
): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args)));
}

/** Resolves once every client is connected. */
export function connected(...clients: ClientSocket[]): Promise<void> {
  return Promise.all(
    clients.map((c) => (c.connected ? Promise.resolve() : new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    }))),
  ).then(() => undefined);
}

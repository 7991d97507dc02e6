// Runs one scenario against wiregate and against socket.io 4.8 (the reference) side by side:
// the same server setup on both, the same client code against each, and the test compares
// what the clients observed.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SioServer, type ServerOptions as SioOptions } from 'socket.io';
import { Server as WgServer, type ServerOptions as WgOptions } from '../../src';

/** Which implementation a started server is. */
export type Implementation = 'wiregate' | 'socket.io';

export const IMPLEMENTATIONS: readonly Implementation[] = ['wiregate', 'socket.io'];

/**
 * A started server. Both are driven through socket.io's own types: wiregate mirrors that API,
 * and the scenario is then checked against the reference by the compiler too.
 */
export interface Started {
  impl: Implementation;
  io: SioServer;
  httpServer: HttpServer;
  port: number;
  url: string;
}

const started: { io: SioServer; httpServer: HttpServer }[] = [];
const closers: (() => void)[] = [];

/** Options both constructors take (the ones the compat tests use). */
export type PairOptions = Partial<SioOptions> & WgOptions;

/** Starts `impl` on a free port of 127.0.0.1. */
export async function start(impl: Implementation, opts: PairOptions = {}): Promise<Started> {
  const httpServer = createServer();
  const io =
    impl === 'wiregate'
      ? (new WgServer(httpServer, opts) as unknown as SioServer)
      : new SioServer(httpServer, opts as Partial<SioOptions>);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  started.push({ io, httpServer });
  return { impl, io, httpServer, port, url: `http://127.0.0.1:${port}` };
}

/** Registers something a test opened (a client) to be closed before the servers. */
export function onCleanup(close: () => void): void {
  closers.push(close);
}

/** Closes every client then every server the test started. */
export async function closeAllPairs(): Promise<void> {
  for (const close of closers.splice(0)) close();
  const servers = started.splice(0);
  await Promise.all(
    servers.map(async ({ io, httpServer }) => {
      const closing = io.close();
      httpServer.closeAllConnections();
      await closing;
    }),
  );
}

/** Rejects after `ms` with `what` in the message: every wait of these tests is bounded. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type Onceable = { once(event: string, fn: (...args: unknown[]) => void): unknown };

/** Resolves with the arguments of the next `event` (of any emitter: client, server, engine). */
export function next(emitter: object, event: string, ms = 5000): Promise<unknown[]> {
  return within(
    new Promise((resolve) =>
      (emitter as Onceable).once(event, (...args: unknown[]) => resolve(args)),
    ),
    ms,
    `event ${event}`,
  );
}

/** An engine session by id, on either implementation (a Map in wiregate, an object in engine.io). */
export function engineSession(s: Started, sid: string): Onceable | undefined {
  const clients = (
    s.io.engine as unknown as { clients: Map<string, Onceable> | Record<string, Onceable> }
  ).clients;
  return clients instanceof Map ? clients.get(sid) : clients[sid];
}

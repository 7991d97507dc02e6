/**
 * The bare handlers that socket.io (b) and wiregate's socket layer (c) both run: no
 * guard, no validation, no DI. Typed structurally so one function serves both servers.
 * @module
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BROADCAST_EVENT, DELIVERY_EVENT, ECHO_EVENT, JOIN_EVENT, PING_INTERVAL_MS, PING_TIMEOUT_MS, ROOM } from '../lib/fixtures';
import type { RunningServer } from './harness';

type Ack = (...args: unknown[]) => void;

/** The slice of the socket.io `Server` API the bare handlers use. */
export interface IoLike {
  on(ev: 'connection', fn: (socket: SocketLike) => void): unknown;
  to(room: string): { emit(ev: string, ...args: unknown[]): unknown };
  engine: { clientsCount: number };
}
export interface SocketLike {
  on(ev: string, fn: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  join(room: string): unknown;
}

export type IoFactory = (http: HttpServer, opts: Record<string, unknown>) => IoLike;

/** Options both servers get: websocket only, no client bundle, long heartbeat. */
export const IO_OPTIONS = {
  serveClient: false,
  transports: ['websocket'],
  pingInterval: PING_INTERVAL_MS,
  pingTimeout: PING_TIMEOUT_MS,
  perMessageDeflate: false,
};

export async function startBare(factory: IoFactory, version: string): Promise<RunningServer> {
  const http = createServer();
  const io = factory(http, IO_OPTIONS);
  io.on('connection', (socket) => {
    socket.on(ECHO_EVENT, (body: unknown, ack: Ack) => ack(body));
    socket.on(JOIN_EVENT, (room: string, ack: Ack) => {
      socket.join(room);
      ack(true);
    });
    socket.on(BROADCAST_EVENT, (body: unknown) => {
      io.to(ROOM).emit(DELIVERY_EVENT, body);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    path: '/socket.io/',
    dialect: 'sio',
    version,
    clients: () => io.engine.clientsCount,
  };
}

/**
 * The bare handlers that socket.io (b) and wiregate's socket layer (c) both run: no
 * guard, no validation, no DI. Typed structurally so one function serves both servers.
 * @module
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BROADCAST_EVENT,
  DELIVERY_EVENT,
  ECHO_EVENT,
  JOIN_EVENT,
  PING_INTERVAL_MS,
  PING_TIMEOUT_MS,
  ROOM,
} from '../lib/fixtures';
import type { RunningServer } from './harness';

type Ack = (...args: unknown[]) => void;

/** The slice of the socket.io `Server` API the bare handlers use. */
export interface IoLike {
  on(ev: 'connection', fn: (socket: SocketLike) => void): unknown;
  to(room: string): { emit(ev: string, ...args: unknown[]): unknown };
  engine: { clientsCount: number };
  adapter(ctor: unknown): unknown;
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

/** Installs a cluster adapter on the server (the Redis workload); returns a label for the version line. */
export type AdapterInstaller = (io: IoLike) => Promise<string>;

export async function startBare(
  factory: IoFactory,
  version: string,
  installAdapter?: AdapterInstaller,
): Promise<RunningServer> {
  const http = createServer();
  const io = factory(http, IO_OPTIONS);
  if (installAdapter) version += `, ${await installAdapter(io)}`;
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

/** Redis clients for a cluster adapter (BENCH_REDIS=1): 127.0.0.1:6379, a pub and a sub connection. */
export async function redisPair(): Promise<{ pub: unknown; sub: unknown }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Redis } = require('ioredis') as {
    Redis: new (opts: object) => {
      duplicate(): unknown;
      ping(): Promise<string>;
      on(ev: string, fn: (e: Error) => void): void;
    };
  };
  const pub = new Redis({
    host: '127.0.0.1',
    port: 6379,
    maxRetriesPerRequest: 2,
    connectTimeout: 5_000,
  });
  const sub = pub.duplicate() as typeof pub;
  for (const c of [pub, sub]) c.on('error', (err) => console.error('[bench redis]', err.message));
  await Promise.all([pub.ping(), sub.ping()]);
  return { pub, sub };
}

/** The channel prefix shared by the two servers of one Redis run. */
export function redisKey(): string {
  return process.env.BENCH_REDIS_KEY ?? 'wiregate-bench';
}

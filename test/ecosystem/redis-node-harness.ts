// Servers of either kind on the real Redis: wiregate with wiregate/redis (test/cluster's harness)
// and socket.io 4.8 with @socket.io/redis-adapter, behind one interface, so a scenario runs the
// same against both (socket.io is the reference) or against a cluster that mixes them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAdapter as createSocketIoAdapter,
  createShardedAdapter as createSocketIoShardedAdapter,
} from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server as SocketIoServer } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { SubscriptionMode } from '../../src/redis';
import {
  adminClient,
  connectTracked,
  REDIS,
  startNode,
  track,
  waitUntil,
} from '../cluster/cluster-harness';

export type Flavour = 'wiregate' | 'socket.io';
export type Mode = 'classic' | 'sharded';

/** The selection API both servers share (socket.io's BroadcastOperator). */
export interface OperatorLike {
  emit(ev: string, ...args: unknown[]): boolean;
  to(room: string | string[]): OperatorLike;
  in(room: string | string[]): OperatorLike;
  except(room: string | string[]): OperatorLike;
  timeout(ms: number): OperatorLike;
  emitWithAck(ev: string, ...args: unknown[]): Promise<unknown[]>;
  fetchSockets(): Promise<RemoteSocketLike[]>;
  socketsJoin(room: string | string[]): unknown;
  socketsLeave(room: string | string[]): unknown;
  disconnectSockets(close?: boolean): unknown;
}

/** A socket of any server as `fetchSockets` returns it. */
export interface RemoteSocketLike {
  id: string;
  handshake: {
    auth: Record<string, unknown>;
    address: string;
    query: Record<string, unknown>;
    issued: number;
    time: string;
  };
  rooms: Set<string>;
  data: unknown;
}

/** The namespace API both servers share. */
export interface NamespaceLike extends OperatorLike {
  serverSideEmit(ev: string, ...args: unknown[]): boolean;
  serverSideEmitWithAck(ev: string, ...args: unknown[]): Promise<unknown[]>;
  on(ev: string, listener: (...args: never[]) => void): unknown;
  readonly sockets: Map<string, { rooms: Set<string> }>;
  readonly adapter: {
    once(ev: 'join-room' | 'leave-room', listener: (room: string, id: string) => void): unknown;
    serverCount(): Promise<number>;
  };
}

export interface AnyNode {
  flavour: Flavour;
  name: string;
  url: string;
  nsp(name?: string): NamespaceLike;
  /** 'error' events of this node's Redis clients (and wiregate's adapter). */
  errors: Error[];
  /** Connects an official client; resolves once connected. */
  connect(opts?: { nsp?: string; auth?: Record<string, unknown> }): Promise<ClientSocket>;
}

export interface NodeSetup {
  mode?: Mode;
  subscriptionMode?: SubscriptionMode;
  /** Namespaces besides `/` to create up front (socket.io refuses unknown ones). */
  namespaces?: string[];
  /** node-redis clients for a wiregate server (ioredis otherwise; socket.io's always use ioredis). */
  nodeRedis?: boolean;
  /** The classic adapters' option of that name. */
  publishOnSpecificResponseChannel?: boolean;
}

/** The connection behaviour both kinds share: socket.data, and a `join` event the client acks. */
function onConnection(name: string) {
  return (socket: {
    data: unknown;
    handshake: { auth: Record<string, unknown> };
    on(ev: string, fn: (room: string, ack: () => void) => void): unknown;
    join(room: string): unknown;
  }) => {
    socket.data = { server: name, user: socket.handshake.auth.user ?? null };
    socket.on('join', (room, ack) => {
      void socket.join(room);
      ack();
    });
  };
}

/** Starts a server of `flavour` on the Redis `key`. */
export async function startAnyNode(
  flavour: Flavour,
  name: string,
  key: string,
  setup: NodeSetup = {},
): Promise<AnyNode> {
  return flavour === 'wiregate' ? startWiregate(name, key, setup) : startSocketIo(name, key, setup);
}

async function startWiregate(
  name: string,
  key: string,
  { mode, subscriptionMode, namespaces = [] }: NodeSetup,
): Promise<AnyNode> {
  const node = await startNode(name, key, { sharded: mode === 'sharded', subscriptionMode });
  for (const nsp of namespaces) {
    node.io.of(nsp).on('connection', onConnection(name) as never);
    node.io.of(nsp).adapter.on('error', (err: Error) => node.errors.push(err));
  }
  return {
    flavour: 'wiregate',
    name,
    url: node.url,
    nsp: (nsp = '/') => node.io.of(nsp) as unknown as NamespaceLike,
    errors: node.errors,
    connect: (opts) => node.connect(opts),
  };
}

async function startSocketIo(
  name: string,
  key: string,
  { mode, subscriptionMode, namespaces = [], publishOnSpecificResponseChannel }: NodeSetup,
): Promise<AnyNode> {
  const errors: Error[] = [];
  const pub = new Redis({ ...REDIS, connectionName: `${key}-${name}-pub` });
  const sub = new Redis({ ...REDIS, connectionName: `${key}-${name}-sub` });
  pub.on('error', (err) => errors.push(err));
  sub.on('error', (err) => errors.push(err));
  const adapter =
    mode === 'sharded'
      ? createSocketIoShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode })
      : createSocketIoAdapter(pub, sub, { key, publishOnSpecificResponseChannel });
  const httpServer = createServer();
  const io = new SocketIoServer(httpServer, { adapter });
  for (const nsp of ['/', ...namespaces]) io.of(nsp).on('connection', onConnection(name));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  track({
    async close() {
      for (const client of clients) client.disconnect();
      await io.close();
      // QUIT, not disconnect: socket.io's adapters leave their UNSUBSCRIBE promises unobserved,
      // and a disconnect would reject them (unhandled). QUIT is answered after them.
      await Promise.all([pub.quit(), sub.quit()]);
    },
  });
  return {
    flavour: 'socket.io',
    name,
    url,
    nsp: (nsp = '/') => io.of(nsp) as unknown as NamespaceLike,
    errors,
    connect: (opts) => connectTracked(url, clients, opts),
  };
}

/** Waits until every node counts `n` servers in namespace `nsp`. */
export async function waitForServers(nodes: AnyNode[], n: number, nsp = '/'): Promise<void> {
  await waitUntil(
    async () =>
      (await Promise.all(nodes.map((node) => node.nsp(nsp).adapter.serverCount()))).every(
        (c) => c === n,
      ),
    8000,
    `${n} servers in the cluster`,
  );
}

/**
 * In the sharded dynamic modes a server subscribes a room's channel when the room appears on it
 * (SSUBSCRIBE, asynchronous): waits until Redis counts `n` subscribers on it.
 */
export async function waitForShardedRoom(
  key: string,
  room: string,
  n: number,
  nsp = '/',
): Promise<void> {
  const admin = adminClient();
  const channel = `${key}#${nsp}#${room}#`;
  await waitUntil(
    async () =>
      Number(((await admin.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1]) === n,
    5000,
    `${n} subscriber(s) on ${channel}`,
  );
}

/** Every event a client receives, in order. */
export interface EventLog {
  events: unknown[][];
  /** Resolves once the client received `event` (at most `ms` later). */
  until(event: string, ms?: number): Promise<void>;
}

/** Records every event of `client` (`onAny`). */
export function logEvents(client: ClientSocket): EventLog {
  const events: unknown[][] = [];
  const waiters: { event: string; resolve: () => void }[] = [];
  client.onAny((event: string, ...args: unknown[]) => {
    events.push([event, ...args]);
    for (const w of waiters.filter((w) => w.event === event)) w.resolve();
  });
  return {
    events,
    until(event, ms = 5000) {
      if (events.some((e) => e[0] === event)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
        waiters.push({
          event,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** Resolves with the first argument of the next `event`, or rejects after `ms`. */
export function nextEvent<T = unknown>(
  emitter: { once(ev: string, fn: (value: T) => void): unknown },
  event: string,
  ms = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Asks a client's server to put it in `room` (the harness's `join` event) and waits for it. */
export function joinRoom(client: ClientSocket, room: string): Promise<void> {
  return new Promise((resolve) => client.emit('join', room, () => resolve()));
}

/** Records uncaught exceptions and unhandled rejections while a test runs. */
export function recordCrashes(): { seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const record = (err: unknown) => seen.push(err);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    seen,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

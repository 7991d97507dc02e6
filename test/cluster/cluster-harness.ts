// Starts wiregate servers joined through the real Redis on 127.0.0.1:6379 (in this process or a
// child process), connects official clients, and closes everything a test opened.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Redis, type RedisOptions } from 'ioredis';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { createClient } from '@redis/client';
import {
  createAdapter,
  createShardedAdapter,
  type RedisAdapter,
  type RedisAdapterOptions,
  type RedisClient,
  type ShardedRedisAdapter,
  type SubscriptionMode,
} from '../../src/redis';
import { Server } from '../../src/server';

export const REDIS = { host: '127.0.0.1', port: 6379 };
const INSTALL_HINT = 'apt-get install -y redis-server && redis-server --daemonize yes';

/** Synchronous probe (jest decides between describe and describe.skip at load time). */
function probeRedis(): boolean {
  const script = `const s=require('net').connect(${REDIS.port},'${REDIS.host}');s.setTimeout(1500,()=>process.exit(1));
s.on('error',()=>process.exit(1));s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));s.write('PING\\r\\n');`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 3000 }).status === 0;
}

export const redisAvailable = probeRedis();
const inCI = process.env.CI === 'true';
if (!redisAvailable && !inCI) {
  console.warn(
    `\n!!! Redis is not reachable at ${REDIS.host}:${REDIS.port}: the cluster tests are SKIPPED.\n` +
      `!!! Run: ${INSTALL_HINT}\n`,
  );
}

/** `describe` when Redis is up; under CI=true also when it is down, so the suite fails loudly. */
export const describeRedis: jest.Describe = redisAvailable || inCI ? describe : describe.skip;

/** Fails the suite under CI when Redis is down (call in beforeAll). */
export function requireRedis(): void {
  if (!redisAvailable)
    throw new Error(`Redis is not reachable at ${REDIS.host}:${REDIS.port}. Run: ${INSTALL_HINT}`);
}

let keyCounter = 0;
/** A channel prefix no other test (or run) uses. */
export function uniqueKey(): string {
  return `wg-test-${process.pid}-${Date.now().toString(36)}-${keyCounter++}`;
}

/**
 * Connects a websocket-only client to `url + nsp` (no reconnection) and adds it to `clients`,
 * which its node closes; rejects with the `connect_error`.
 */
export async function connectTracked(
  url: string,
  clients: ClientSocket[],
  { nsp = '/', auth }: { nsp?: string; auth?: Record<string, unknown> } = {},
): Promise<ClientSocket> {
  const client = connectClient(url + nsp, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
  });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}

export interface Node {
  name: string;
  io: Server;
  url: string;
  /** ioredis clients (node-redis ones when started with `nodeRedis`). */
  pub: Redis;
  sub: Redis;
  /** 'error' events seen on this node's Redis clients and adapters. */
  errors: Error[];
  connect(opts?: { nsp?: string; auth?: Record<string, unknown> }): Promise<ClientSocket>;
  adapter(nsp?: string): RedisAdapter | ShardedRedisAdapter;
  close(): Promise<void>;
}

export interface ChildNode {
  url: string;
  /** Lines the child printed as JSON after the first one. */
  notes: unknown[];
  process: ChildProcess;
  kill(): Promise<void>;
}

const opened: { close(): Promise<void> }[] = [];

async function nodeRedisClient(port: number, name: string, errors: Error[]) {
  const client = createClient({ name, socket: { host: REDIS.host, port } });
  client.on('error', (err: Error) => errors.push(err));
  await client.connect();
  return client;
}

export type NodeOptions = Omit<RedisAdapterOptions, 'key'> & {
  redisPort?: number;
  /** Extra ioredis options for both clients. */
  ioredis?: RedisOptions;
  /** Use node-redis clients instead of ioredis ones. */
  nodeRedis?: boolean;
  /** `createShardedAdapter` (SPUBLISH/SSUBSCRIBE) instead of `createAdapter`. */
  sharded?: boolean;
  /** The sharded adapter's subscription mode. */
  subscriptionMode?: SubscriptionMode;
};

/** Starts a server in this process with its own pub/sub clients, named for CLIENT KILL. */
export async function startNode(
  name: string,
  key: string,
  { redisPort, nodeRedis, ioredis, sharded, subscriptionMode, ...opts }: NodeOptions = {},
): Promise<Node> {
  const errors: Error[] = [];
  const redis = { ...REDIS, ...ioredis, port: redisPort ?? REDIS.port };
  const [pub, sub] = nodeRedis
    ? await Promise.all([
        nodeRedisClient(redis.port, `${key}-${name}-pub`, errors),
        nodeRedisClient(redis.port, `${key}-${name}-sub`, errors),
      ])
    : [
        new Redis({ ...redis, connectionName: `${key}-${name}-pub` }),
        new Redis({ ...redis, connectionName: `${key}-${name}-sub` }),
      ];
  if (!nodeRedis) {
    (pub as Redis).on('error', (err) => errors.push(err));
    (sub as Redis).on('error', (err) => errors.push(err));
  }
  const httpServer = createServer();
  const adapter = sharded
    ? createShardedAdapter(pub as RedisClient, sub as RedisClient, {
        channelPrefix: key,
        subscriptionMode,
        ...opts,
      })
    : createAdapter(pub as RedisClient, sub as RedisClient, { key, ...opts });
  const io = new Server(httpServer, { adapter });
  io.of('/').adapter.on('error', (err: Error) => errors.push(err));
  // The same behaviour as the child server (test/fixtures/cluster/child-server.ts).
  io.on('connection', (socket) => {
    socket.data = { server: name, user: socket.handshake.auth.user ?? null };
    socket.on('join', (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  let closed = false;
  const node: Node = {
    name,
    io,
    url,
    pub: pub as Redis,
    sub: sub as Redis,
    errors,
    connect: (opts) => connectTracked(url, clients, opts),
    adapter: (nsp = '/') => io.of(nsp).adapter as unknown as RedisAdapter | ShardedRedisAdapter,
    async close() {
      if (closed) return;
      closed = true;
      for (const client of clients) client.disconnect();
      await io.close();
      // disconnect, not quit: quit waits for a Redis that a test may have stopped. io.close()
      // has already waited for the departure notice to be published.
      for (const client of [pub, sub]) {
        if (nodeRedis) (client as unknown as { destroy(): void }).destroy();
        else (client as Redis).disconnect();
      }
    },
  };
  opened.push(node);
  return node;
}

/** Starts `test/fixtures/cluster/child-server.ts` in a child process. */
export async function startChild(
  key: string,
  env: Record<string, string> = {},
): Promise<ChildNode> {
  const dir = path.join(__dirname, '..', 'fixtures', 'cluster');
  const child = spawn(
    process.execPath,
    ['-r', path.join(dir, 'register.js'), path.join(dir, 'child-server.ts')],
    {
      env: { ...process.env, WG_KEY: key, ...env },
      stdio: ['pipe', 'pipe', 'inherit'], // stdin: the child exits when it closes
    },
  );
  const notes: unknown[] = [];
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`child server exited early (${code})`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { port?: number };
      if (parsed.port !== undefined) resolve(parsed.port);
      else notes.push(parsed);
    });
  });
  let killed = false;
  const handle: ChildNode = {
    url: `http://127.0.0.1:${port}`,
    notes,
    process: child,
    async kill() {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
  opened.push({ close: () => handle.kill() });
  return handle;
}

/** Connects an official client to any server url. */
export async function connectTo(
  url: string,
  auth?: Record<string, unknown>,
  transports: ('websocket' | 'polling')[] = ['websocket'],
): Promise<ClientSocket> {
  const client = connectClient(url, { transports, forceNew: true, reconnection: false, auth });
  opened.push({ close: async () => void client.disconnect() });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}

const closedLast: { close(): Promise<void> }[] = [];

/** Registers something else the current test must close; `last`: after everything else (a Redis server). */
export function track(item: { close(): Promise<void> }, last = false): void {
  (last ? closedLast : opened).push(item);
}

/** Closes everything the current test opened, newest first. */
export async function closeAll(): Promise<void> {
  const all = [...opened.splice(0).reverse(), ...closedLast.splice(0)];
  for (const item of all) await item.close();
}

/** Polls `condition` until it holds; fails after `ms`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  ms = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until every node counts `n` servers. */
export async function waitForCluster(nodes: Node[], n: number, nsp = '/'): Promise<void> {
  await waitUntil(
    async () =>
      (await Promise.all(nodes.map((node) => node.adapter(nsp).serverCount()))).every(
        (c) => c === n,
      ),
    8000,
    `${n} servers in the cluster`,
  );
}

/** Resolves with the first argument of the next `event`. */
export function once<T = unknown>(
  emitter: { once(ev: string, fn: (value: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (value: T) => resolve(value)));
}

/** Asks a client's server to put it in `room` (the fixture's `join` event) and waits for it. */
export function join(client: ClientSocket, room: string): Promise<void> {
  return new Promise((resolve) => client.emit('join', room, () => resolve()));
}

/** Records every value of `event` on a client. */
export function record(client: ClientSocket, event: string): unknown[] {
  const seen: unknown[] = [];
  client.on(event, (...args: unknown[]) => seen.push(args.length === 1 ? args[0] : args));
  return seen;
}

/** A plain ioredis client for test-side Redis commands (CLIENT KILL, PUBSUB). */
export function adminClient(port = REDIS.port): Redis {
  const admin = new Redis({ ...REDIS, port });
  admin.on('error', () => undefined);
  opened.push({ close: async () => void admin.disconnect() });
  return admin;
}

/**
 * With the sharded adapter's dynamic modes a server subscribes a room's channel when the room
 * appears on it: waits until Redis counts `n` subscribers there (nothing to wait for otherwise).
 */
export async function waitForRoomChannel(node: Node, room: string, n = 1): Promise<void> {
  const adapter = node.adapter();
  if ('requestChannel' in adapter) return;
  const admin = adminClient();
  const channel = `${adapter.channel}${room}#`;
  await waitUntil(
    async () =>
      Number(((await admin.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1]) === n,
    5000,
    `${n} subscriber(s) on ${channel}`,
  );
}

// Runs third-party socket.io adapters against wiregate and, as the reference, socket.io 4.8:
// service probes (PostgreSQL, Redis) that skip loudly outside CI and fail under CI=true, servers
// of either implementation with the scenario handlers, official clients that record what they
// receive, bounded waits, fault recorders, and one cleanup for everything a test opened.
import { spawnSync } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { Server as WiregateServer, type AdapterConstructor } from '../../src/server';
import {
  installScenario,
  type Op,
  type OpReply,
  type ScenarioIo,
} from '../fixtures/ecosystem/scenario-server';

export type Impl = 'socket.io' | 'wiregate';
/** socket.io first: it is the reference the wiregate run is compared with. */
export const IMPLS: readonly Impl[] = ['socket.io', 'wiregate'];

const inCI = process.env.CI === 'true';

// ---------------------------------------------------------------------------------------------
// Services

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
export const REDIS = { host: '127.0.0.1', port: 6379 };
const PG_HINT =
  'apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const REDIS_HINT = 'apt-get install -y redis-server && redis-server --daemonize yes';

/** Synchronous probes: jest decides between describe and describe.skip when the file loads. */
function probe(script: string): boolean {
  return (
    spawnSync(process.execPath, ['-e', script], { timeout: 8000, cwd: __dirname }).status === 0
  );
}

function probePostgres(): boolean {
  return probe(
    `const { Client } = require('pg'); const c = new Client(${JSON.stringify({ ...PG, connectionTimeoutMillis: 3000 })});
     c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`,
  );
}

function probeRedis(): boolean {
  return probe(
    `const s = require('net').connect(${REDIS.port}, '${REDIS.host}'); s.setTimeout(1500, () => process.exit(1));
     s.on('error', () => process.exit(1)); s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));
     s.write('PING\\r\\n');`,
  );
}

function service(name: string, where: string, hint: string, up: boolean) {
  if (!up && !inCI) {
    console.warn(
      `\n!!! ${name} is not reachable at ${where}: the ecosystem tests that need it are SKIPPED.\n!!! Run: ${hint}\n`,
    );
  }
  return {
    available: up,
    /** `describe` when the service is up; under CI=true also when it is down, so the suite fails. */
    describe: (up || inCI ? describe : describe.skip) as jest.Describe,
    /** Fails the suite when the service is down (call in beforeAll). */
    require(): void {
      if (!up) throw new Error(`${name} is not reachable at ${where}. Run: ${hint}`);
    },
  };
}

let postgres: ReturnType<typeof service> | undefined;
let redis: ReturnType<typeof service> | undefined;
/** PostgreSQL on 127.0.0.1:5432 (probed once, on first use). */
export const postgresService = () =>
  (postgres ??= service('PostgreSQL', `${PG.host}:${PG.port}`, PG_HINT, probePostgres()));
/** Redis on 127.0.0.1:6379 (probed once, on first use). */
export const redisService = () =>
  (redis ??= service('Redis', `${REDIS.host}:${REDIS.port}`, REDIS_HINT, probeRedis()));

let counter = 0;
/** A name no other test, run or engineer uses (Redis and PostgreSQL are shared). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

// ---------------------------------------------------------------------------------------------
// Cleanup

const cleanups: (() => Promise<unknown> | unknown)[] = [];

/** Runs `fn` in `closeAll`, after everything registered later (last opened, first closed). */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

/** Closes everything the test opened; call in afterEach. A failing close fails the test. */
export async function closeAll(): Promise<void> {
  const errors: unknown[] = [];
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await within(15_000, 'a cleanup step', Promise.resolve().then(fn));
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
}

// ---------------------------------------------------------------------------------------------
// Waiting

/** Rejects with a message naming what was awaited when `promise` takes longer than `ms`. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Polls `check` until it returns true, at most `ms` (for state with no event to await, such as
 * heartbeat-based adapters discovering each other).
 */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

/** A server of either implementation, listening on 127.0.0.1 with the scenario handlers. */
export interface ScenarioServer {
  impl: Impl;
  name: string;
  url: string;
  /** The server, for calls the scenarios make directly. */
  io: ScenarioIo;
  wiregate?: WiregateServer;
  socketIo?: SocketIoServer;
  close(): Promise<void>;
}

/** The adapter as both servers take it (socket.io types it as `any`; wiregate as AdapterConstructor). */
export type AnyAdapter = AdapterConstructor;

/** How a server is given its adapter: the constructor's option, or `io.adapter(X)` afterwards. */
export type AdapterVia = 'option' | 'io.adapter()';

/**
 * Starts a server of `impl` with `adapter` (a factory from the adapter package's createAdapter).
 * `setup` runs right after the server is built, before the adapter's asynchronous `init` can
 * have failed (where a user would attach `adapter_error`).
 */
export async function startServer(
  impl: Impl,
  name: string,
  adapter?: AnyAdapter,
  setup?: (server: ScenarioServer) => void,
  via: AdapterVia = 'option',
): Promise<ScenarioServer> {
  const httpServer: HttpServer = createServer();
  let io: ScenarioIo;
  let close: () => Promise<void>;
  const server: Partial<ScenarioServer> = { impl, name };
  const option = adapter && via === 'option' ? { adapter } : {};
  if (impl === 'wiregate') {
    const wg = new WiregateServer(httpServer, option);
    if (adapter && via === 'io.adapter()') wg.adapter(adapter);
    io = wg as unknown as ScenarioIo;
    server.wiregate = wg;
    close = () => wg.close();
  } else {
    const sio = new SocketIoServer(httpServer, option as { adapter?: never });
    if (adapter && via === 'io.adapter()') sio.adapter(adapter as never);
    io = sio as unknown as ScenarioIo;
    server.socketIo = sio;
    close = () => new Promise<void>((resolve) => void sio.close(() => resolve()));
  }
  let closed: Promise<void> | undefined;
  const started: ScenarioServer = {
    ...(server as ScenarioServer),
    io,
    url: '',
    close: () => (closed ??= close()),
  };
  onCleanup(() => started.close());
  setup?.(started);
  installScenario(io, name);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  started.url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  return started;
}

// ---------------------------------------------------------------------------------------------
// Clients

/** An official client that records every event it receives (functions as '[ack]'). */
export interface TestClient {
  user: string;
  socket: ClientSocket;
  /** [event, ...args] in arrival order, normalised (see `normalise`). */
  log: unknown[][];
  /** Resolves with the args of the `count`th `ev` received (counting those already logged). */
  waitFor(ev: string, count?: number, ms?: number): Promise<unknown[]>;
  /** Runs a server-side operation on this client's server (see scenario-server.ts). */
  op(op: Op, ms?: number): Promise<OpReply>;
  /** Resolves with the disconnect reason. */
  disconnected: Promise<string>;
}

/** Binary becomes `{ bin: hex }` so observations compare as plain data. */
export function normalise(value: unknown): unknown {
  if (typeof value === 'function') return '[ack]';
  if (Buffer.isBuffer(value)) return { bin: value.toString('hex') };
  if (value instanceof ArrayBuffer) return { bin: Buffer.from(value).toString('hex') };
  if (ArrayBuffer.isView(value))
    return { bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

/**
 * Connects an official client (websocket only: no sticky sessions needed) as `user`. It answers
 * every `question(x, ack)` with `${user}:${x}`.
 */
export async function connect(url: string, user: string, ms = 10_000): Promise<TestClient> {
  const socket = connectClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { user },
  });
  onCleanup(() => socket.disconnect());
  const log: unknown[][] = [];
  const waiters = new Set<() => void>();
  socket.onAny((ev: string, ...args: unknown[]) => {
    log.push([ev, ...args.map(normalise)]);
    for (const wake of [...waiters]) wake();
  });
  socket.on('question', (x: unknown, ack: (reply: string) => void) => ack(`${user}:${String(x)}`));
  const disconnected = new Promise<string>((resolve) =>
    socket.on('disconnect', (reason) => resolve(reason)),
  );
  await within(
    ms,
    `${user} to connect to ${url}`,
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    }),
  );
  const client: TestClient = {
    user,
    socket,
    log,
    disconnected,
    waitFor(ev, count = 1, waitMs = 10_000) {
      const find = () => log.filter((entry) => entry[0] === ev)[count - 1]?.slice(1);
      return within(
        waitMs,
        `${user} to receive "${ev}" #${count}`,
        new Promise<unknown[]>((resolve) => {
          const wake = () => {
            const found = find();
            if (found === undefined) return;
            waiters.delete(wake);
            resolve(found);
          };
          waiters.add(wake);
          wake();
        }),
      ).finally(() => undefined);
    },
    op(op, waitMs = 15_000) {
      return socket.timeout(waitMs).emitWithAck('op', op) as Promise<OpReply>;
    },
  };
  return client;
}

/** The `ok` of a reply; fails with the server's error otherwise. */
export function ok<T = unknown>(reply: OpReply): T {
  if ('error' in reply) throw new Error(`server-side operation failed: ${reply.error}`);
  return reply.ok as T;
}

// ---------------------------------------------------------------------------------------------
// Faults

/**
 * Records unhandled rejections, uncaught exceptions and process warnings while installed.
 * Warnings are caught by spying on `process.emitWarning` (jest's sandboxed `process` hears no
 * 'warning' events). Note that in jest the real process's unhandled rejections and uncaught
 * exceptions go to jest, which fails the test on its own; these listeners catch what is
 * emitted on the sandbox's `process`, and are the real thing in the child-process fixtures.
 */
export function recordFaults(): { faults: unknown[]; warnings: Error[]; stop(): void } {
  const faults: unknown[] = [];
  const warnings: Error[] = [];
  const onFault = (reason: unknown) => faults.push(reason);
  process.on('unhandledRejection', onFault);
  process.on('uncaughtException', onFault);
  const spy = jest
    .spyOn(process, 'emitWarning')
    .mockImplementation((warning: string | Error, options?: unknown) => {
      const type =
        typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type;
      const recorded = typeof warning === 'string' ? new Error(warning) : warning;
      if (type !== undefined) recorded.name = type;
      warnings.push(recorded);
    });
  const stop = () => {
    process.off('unhandledRejection', onFault);
    process.off('uncaughtException', onFault);
    spy.mockRestore();
  };
  onCleanup(stop);
  return { faults, warnings, stop };
}

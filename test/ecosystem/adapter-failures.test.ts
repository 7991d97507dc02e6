// Adapters that fail: a socket.io-adapter `Adapter` subclass whose methods throw or reject, and
// real adapters whose backing service goes away (PostgreSQL behind a proxy that is shut down,
// a Redis streams client disconnected). The server reports a clear error, nothing is unhandled,
// nothing crashes, other servers' clients are unaffected, and io.close() still completes.
import {
  createServer as createTcpServer,
  connect as tcpConnect,
  type Socket as TcpSocket,
} from 'node:net';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { Pool } from 'pg';
import { failingAdapter, type Failing } from '../fixtures/ecosystem/failing-adapter';
import {
  IMPLS,
  PG,
  closeAll,
  connect,
  ok,
  onCleanup,
  pollUntil,
  postgresService,
  recordFaults,
  redisService,
  startServer,
  uniqueName,
  within,
  type AnyAdapter,
  type Impl,
  type ScenarioServer,
} from './ecosystem-harness';
import { ioredisClient, postgresTable } from './service-clients';

afterEach(closeAll);

interface AdapterErrorEvent {
  nsp: string;
  err: Error;
}

/** Records `adapter_error` events of a wiregate server; `next()` awaits the next one. */
function adapterErrors(server: ScenarioServer) {
  const seen: AdapterErrorEvent[] = [];
  const waiters: (() => void)[] = [];
  server.wiregate!.on('adapter_error', (event: AdapterErrorEvent) => {
    seen.push(event);
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    seen,
    /** Resolves once `count` errors in all were reported. */
    until(count: number): Promise<void> {
      return within(
        5000,
        `${count} adapter_error events (saw ${seen.length})`,
        new Promise<void>((resolve) => {
          const check = () => (seen.length >= count ? resolve() : waiters.push(check));
          check();
        }),
      );
    },
  };
}

const messages = (events: AdapterErrorEvent[]) => events.map((e) => `${e.nsp} ${e.err.message}`);

describe('a socket.io-adapter Adapter whose methods reject, on wiregate', () => {
  it('init, addAll, broadcast, serverSideEmit, addSockets: each reported on adapter_error; nothing unhandled; another server unaffected; close completes', async () => {
    const faults = recordFaults();
    let errors!: ReturnType<typeof adapterErrors>;
    const failing = await startServer(
      'wiregate',
      'F',
      failingAdapter([
        'init',
        'addAll',
        'broadcast',
        'broadcastWithAck',
        'serverSideEmit',
        'addSockets',
      ]),
      (server) => (errors = adapterErrors(server)),
    );
    const healthy = await startServer('wiregate', 'H');
    const f = await connect(failing.url, 'fay'); // her own-room join (addAll) fails: still connected
    const h = await connect(healthy.url, 'hal');
    await errors.until(2);
    expect(messages(errors.seen)).toEqual([
      '/ init failed: backend down',
      '/ addAll failed: backend down',
    ]);

    expect(failing.io.emit('news', 1)).toBe(true);
    await errors.until(3);
    expect(failing.io.serverSideEmit('note', 1)).toBe(true);
    await errors.until(4);
    // Awaited: the caller sees the failure. Not awaited (as code written for socket.io does):
    // reported, and no unhandled rejection.
    await expect(failing.wiregate!.socketsJoin('r1')).rejects.toThrow(
      'addSockets failed: backend down',
    );
    void failing.io.socketsJoin('r2');
    await errors.until(6);
    // With acks, the caller hears of the failure instead (and it is not reported twice).
    await expect(failing.io.serverSideEmitWithAck('ping', 1)).rejects.toThrow(
      'serverSideEmit failed: backend down',
    );
    // A broadcast with acks hears of its adapter's failure instead of waiting for its timeout.
    await expect(failing.io.timeout(5000).emitWithAck('question', 'q')).rejects.toThrow(
      'broadcastWithAck failed: backend down',
    );
    expect(messages(errors.seen.slice(2))).toEqual([
      '/ broadcast failed: backend down',
      '/ serverSideEmit failed: backend down',
      '/ addSockets failed: backend down',
      '/ addSockets failed: backend down',
    ]);

    // The other server and the failing server's own client work.
    expect(ok(await h.op({ op: 'emit', ev: 'news', args: ['fine'] }))).toBe(true);
    expect(await h.waitFor('news')).toEqual(['fine']);
    expect(ok(await f.op({ op: 'serverCount' }))).toBe(1);
    await within(10_000, 'the failing server to close', failing.close());
    await healthy.close();
    expect(f.log.filter(([ev]) => ev === 'news')).toEqual([]);
    expect(faults.faults).toEqual([]);
  }, 30_000);

  it('a synchronous throw from broadcast, serverSideEmit or addSockets reaches the caller, from init the constructor; as on socket.io', async () => {
    const calls: Record<
      Exclude<Failing, 'init' | 'addAll' | 'broadcastWithAck'>,
      (io: ScenarioServer['io']) => unknown
    > = {
      broadcast: (io) => io.emit('news', 1),
      serverSideEmit: (io) => io.serverSideEmit('note', 1),
      addSockets: (io) => io.socketsJoin('r1'),
    };
    const thrown: Partial<Record<Impl, Record<string, string>>> = {};
    for (const impl of IMPLS) {
      const seen: Record<string, string> = (thrown[impl] = {});
      for (const [method, call] of Object.entries(calls) as [
        keyof typeof calls,
        (io: ScenarioServer['io']) => unknown,
      ][]) {
        const server = await startServer(impl, 'F', failingAdapter([method], true));
        await connect(server.url, 'fay');
        try {
          call(server.io);
          seen[method] = 'no throw';
        } catch (err) {
          seen[method] = (err as Error).message;
        }
        await within(10_000, 'the server to close', server.close());
      }
      await startServer(impl, 'F', failingAdapter(['init'], true)).then(
        () => (seen.init = 'no throw'),
        (err: Error) => (seen.init = err.message),
      );
      await closeAll();
    }
    expect(thrown.wiregate).toEqual({
      broadcast: 'broadcast failed: backend down',
      serverSideEmit: 'serverSideEmit failed: backend down',
      addSockets: 'addSockets failed: backend down',
      init: 'init failed: backend down',
    });
    expect(thrown.wiregate).toEqual(thrown['socket.io']);
  });

  it('without an adapter_error listener: a process warning naming the namespace, at most one a second', async () => {
    const faults = recordFaults();
    const failing = await startServer('wiregate', 'F', failingAdapter(['broadcast']));
    const ofType = () => faults.warnings.filter((w) => w.name === 'WiregateAdapterError');
    failing.io.emit('news', 1);
    failing.io.emit('news', 2);
    failing.io.emit('news', 3);
    await pollUntil('a WiregateAdapterError warning', () => ofType().length >= 1, 5000);
    expect(ofType().map((w) => w.message)).toEqual([
      'adapter of namespace "/" failed: broadcast failed: backend down',
    ]);
    // The two others were counted, and are mentioned by the next warning (a second later).
    await pollUntil(
      'a second WiregateAdapterError warning',
      () => {
        failing.io.emit('news', 4);
        return ofType().length >= 2;
      },
      5000,
    );
    expect(ofType()[1].message).toMatch(
      /^adapter of namespace "\/" failed: broadcast failed: backend down \(\d+ more since the last warning\)$/,
    );
    await within(10_000, 'the failing server to close', failing.close());
    expect(faults.faults).toEqual([]);
  }, 20_000);
});

/** Starts test/fixtures/ecosystem/failing-server.ts; `stop()` closes it and returns its report. */
async function startFailingChild(): Promise<{ url: string; stop(): Promise<ChildReport> }> {
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(fixtures, 'cluster', 'register.js'),
      path.join(fixtures, 'ecosystem', 'failing-server.ts'),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] }, // stderr: the warnings it prints (checked through its report)
  );
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  onCleanup(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    waiters.splice(0).forEach((wake) => wake());
  });
  const line = (key: string, ms: number) =>
    within(
      ms,
      `the failing server's "${key}" line`,
      new Promise<Record<string, unknown>>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`the failing server exited (${code})`)));
        const check = () => {
          const found = lines.find((l) => key in l);
          if (found) resolve(found);
          else waiters.push(check);
        };
        check();
      }),
    );
  const { port } = await line('port', 30_000);
  return {
    url: `http://127.0.0.1:${String(port)}`,
    async stop() {
      child.stdin!.end();
      const report = (await line('closed', 10_000)) as unknown as ChildReport;
      expect(await within(5000, 'the failing server to exit', exited)).toBe(0);
      return report;
    },
  };
}

interface ChildReport {
  closed: number;
  faults: string[];
  warnings: string[];
}

describe('the failing adapter in a process of its own (real process listeners)', () => {
  it('no adapter_error listener: rate-limited WiregateAdapterError warnings, waiting callers get the error, no unhandled rejection or uncaught exception, close completes', async () => {
    const child = await startFailingChild();
    const fay = await connect(child.url, 'fay'); // her own-room join fails
    expect(await fay.op({ op: 'emit', ev: 'news', args: [1] })).toEqual({ ok: true });
    expect(await fay.op({ op: 'socketsJoin', join: ['r1'] })).toEqual({
      error: 'addSockets failed: backend down',
    });
    expect(await fay.op({ op: 'emitWithAck', args: ['q'], timeout: 5000 })).toEqual({
      error: 'broadcastWithAck failed: backend down',
    });
    expect(await fay.op({ op: 'serverSideEmitWithAck', args: [1] })).toEqual({
      error: 'serverSideEmit failed: backend down',
    });
    // Code written for socket.io: nothing awaited (broadcasts, serverSideEmit, socketsJoin).
    await within(5000, 'the fire-and-forget calls', fay.socket.emitWithAck('forget'));
    const report = await child.stop();
    expect(report.faults).toEqual([]);
    // init, addAll, 2 + 4 reported failures: far more than the warnings, at most one a second.
    expect(report.warnings.length).toBeGreaterThanOrEqual(1);
    expect(report.warnings.length).toBeLessThan(4);
    expect(report.warnings[0]).toBe(
      'WiregateAdapterError: adapter of namespace "/" failed: init failed: backend down',
    );
    for (const warning of report.warnings)
      expect(warning).toMatch(
        /^WiregateAdapterError: adapter of namespace "\/" failed: \w+ failed: backend down/,
      );
    expect(fay.log.filter(([ev]) => ev === 'news')).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Real adapters whose backing service goes away

/** A TCP proxy to `port` that `kill()` shuts down: connections cut, new ones refused. */
async function tcpProxy(port: number): Promise<{ port: number; kill(): Promise<void> }> {
  const sockets = new Set<TcpSocket>();
  const server = createTcpServer((inbound) => {
    const outbound = tcpConnect(port, '127.0.0.1');
    for (const [a, b] of [
      [inbound, outbound],
      [outbound, inbound],
    ]) {
      sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let killed: Promise<void> | undefined;
  const kill = () =>
    (killed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));
  onCleanup(kill);
  return { port: (server.address() as AddressInfo).port, kill };
}

/** One server's adapter and how to take its backing service away. */
interface Backed {
  adapter: AnyAdapter;
  kill(): Promise<void>;
}

/** What the service-gone scenario observed (compared between socket.io and wiregate). */
interface GoneObservations {
  /** What alice (on A) got from A's broadcast after A lost its service. */
  localAfterKill: unknown[];
  /** `io.timeout(300).fetchSockets()` on A: the error, or what it resolved with. */
  fetchFromA: string;
  /** B's fetchSockets: after B dropped A (heartbeat adapters), or at once (the others). */
  fetchFromB: string;
  /** What bob (on B) got from B's broadcast. */
  bobAfterKill: unknown[];
}

const outcome = async (promise: Promise<unknown>): Promise<string> =>
  within(10_000, 'a cluster request to settle', promise).then(
    (value) => `resolved: ${JSON.stringify(value)}`,
    (err: Error) => err.message,
  );

interface GoneOptions {
  /** Whether B drops A by heartbeat (then B's fetchSockets is taken after it did). */
  heartbeats: boolean;
  /** More checks on A once its service is gone. */
  afterKill?: (a: ScenarioServer) => Promise<void>;
}

/**
 * Servers A and B joined by an adapter; A loses its backing service. A's own clients still get
 * A's broadcasts, A's requests to the cluster fail with a clear error, B works on (after dropping
 * A when the adapter has heartbeats), nothing is unhandled, and both close.
 */
async function serviceGone(
  impl: Impl,
  backedFor: (name: string) => Promise<Backed>,
  { heartbeats, afterKill }: GoneOptions,
): Promise<GoneObservations> {
  const faults = recordFaults();
  const backedA = await backedFor('A');
  const a = await startServer(impl, 'A', backedA.adapter);
  const b = await startServer(impl, 'B', (await backedFor('B')).adapter);
  const alice = await connect(a.url, 'alice');
  const bob = await connect(b.url, 'bob');
  for (const client of [alice, bob])
    await pollUntil(
      'both servers to count 2',
      async () => ok(await client.op({ op: 'serverCount' })) === 2,
      20_000,
    );
  const named = (sockets: { id: string }[]) =>
    sockets.map((s) =>
      s.id === bob.socket.id ? 'bob' : s.id === alice.socket.id ? 'alice' : s.id,
    );

  await backedA.kill();
  expect(a.io.emit('news', 'after')).toBe(true);
  const localAfterKill = await alice.waitFor('news');
  const fetchFromA = await outcome(a.io.timeout(300).fetchSockets().then(named));
  await afterKill?.(a);
  if (heartbeats)
    await pollUntil(
      'B to drop A (heartbeat timeout)',
      async () => ok(await bob.op({ op: 'serverCount' })) === 1,
      20_000,
    );
  const fetchFromB = await outcome(b.io.timeout(300).fetchSockets().then(named));
  ok(await bob.op({ op: 'emit', ev: 'news', args: ['from-b'] }));
  const bobAfterKill = await bob.waitFor('news');
  await within(10_000, 'A to close', a.close());
  await within(10_000, 'B to close', b.close());
  expect(faults.faults).toEqual([]);
  return { localAfterKill, fetchFromA, fetchFromB, bobAfterKill };
}

/** Runs `serviceGone` on socket.io then wiregate: the same observations, and `expected`. */
async function compareServiceGone(
  backedFor: (name: string) => Promise<Backed>,
  options: GoneOptions,
  expected: GoneObservations,
): Promise<void> {
  const seen: Partial<Record<Impl, GoneObservations>> = {};
  for (const impl of IMPLS) {
    seen[impl] = await serviceGone(impl, backedFor, options);
    await closeAll();
  }
  expect(seen['socket.io']).toEqual(expected);
  expect(seen.wiregate).toEqual(seen['socket.io']);
}

const HEARTBEAT = { heartbeatInterval: 300, heartbeatTimeout: 2000 };

postgresService().describe('@socket.io/postgres-adapter whose PostgreSQL goes away', () => {
  beforeAll(() => postgresService().require());

  it("local broadcasts go on, A's requests time out, publish errors reach errorHandler, B drops A and works on, both close; as on socket.io", async () => {
    const publishErrors: Record<string, Error[]> = {};
    const { tableName, channelPrefix } = await postgresTable();
    const backedFor = async (name: string): Promise<Backed> => {
      const proxy = await tcpProxy(PG.port);
      const pool = new Pool({ ...PG, port: proxy.port, max: 2, connectionTimeoutMillis: 1000 });
      pool.on('error', () => undefined);
      // The adapter's LISTEN client is checked out of the pool and has no 'error' listener: when
      // its connection drops, pg emits 'error' on it and the process would crash (socket.io too).
      pool.on('connect', (client) => client.on('error', () => undefined));
      // After the lost connection the adapter drops its LISTEN client without releasing it to the
      // pool, so A's pool.end() never resolves (socket.io too): bounded, and nothing is left open.
      onCleanup(() => within(1000, 'the pool to end', pool.end()).catch(() => undefined));
      const errors: Error[] = (publishErrors[name] = []);
      const adapter = createPostgresAdapter(pool, {
        tableName,
        channelPrefix,
        ...HEARTBEAT,
        errorHandler: (err: Error) => errors.push(err),
      });
      return { adapter, kill: proxy.kill };
    };
    await compareServiceGone(
      backedFor,
      { heartbeats: true },
      {
        localAfterKill: ['after'],
        fetchFromA: 'timeout reached: missing 1 responses',
        fetchFromB: 'resolved: ["bob"]',
        bobAfterKill: ['from-b'],
      },
    );
    // The adapter reports its failed publications to errorHandler only: the server never sees them.
    expect(publishErrors.A.length).toBeGreaterThan(0);
  }, 60_000);
});

redisService().describe(
  '@socket.io/redis-streams-adapter whose Redis client is disconnected',
  () => {
    beforeAll(() => redisService().require());

    it("local broadcasts go on, A's requests fail at once, B's time out, both close; as on socket.io; serverSideEmitWithAck on A rejects on wiregate", async () => {
      const streamName = uniqueName('wg-eco-gone');
      const cleaner = ioredisClient();
      onCleanup(() => cleaner.del(streamName));
      const backedFor = async (): Promise<Backed> => {
        const client = ioredisClient();
        const adapter = createStreamsAdapter(client, {
          streamName,
          channelPrefix: streamName,
          blockTimeInMs: 300,
        });
        return { adapter, kill: async () => client.disconnect() };
      };
      await compareServiceGone(
        backedFor,
        {
          heartbeats: false,
          // socket.io's serverSideEmitWithAck never settles here (the adapter counts the servers on
          // the lost connection before it stores the request, and socket.io leaves that rejection
          // unhandled); wiregate's rejects with the adapter's error.
          afterKill: async (a) => {
            if (a.impl !== 'wiregate') return;
            expect(await outcome(a.io.serverSideEmitWithAck('ping', 1))).toBe(
              'Connection is closed.',
            );
          },
        },
        {
          localAfterKill: ['after'],
          // The adapter counts the servers with PUBSUB NUMSUB on the lost connection.
          fetchFromA: 'Connection is closed.',
          // A still reads the stream (on a second connection of its own) but cannot answer.
          fetchFromB: 'timeout reached: only 0 responses received out of 1',
          bobAfterKill: ['from-b'],
        },
      );
    }, 60_000);
  },
);

// Failure behaviour of the Redis cluster adapter: servers that stop answering, die or leave,
// Redis connections killed with CLIENT KILL, and a Redis restart (docs/internals/server-semantics.md, "In a cluster").
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import type { RedisAdapter } from '../../src/redis';
import {
  adminClient,
  closeAll,
  connectTo,
  describeRedis,
  join,
  once,
  requireRedis,
  startChild,
  startNode,
  track,
  uniqueKey,
  waitForCluster,
  waitForRoomChannel,
  waitUntil,
  type Node,
} from './cluster-harness';

type CodedError = Error & { code?: string };

function failure(p: Promise<unknown>): Promise<CodedError | null> {
  return p.then(
    () => null,
    (e: CodedError) => e,
  );
}

/** Waits until `n` clients listen on the channel (after a reconnect, ioredis resubscribes on its own). */
async function waitForSubscribers(admin: Redis, channel: string, n: number): Promise<void> {
  await waitUntil(
    async () => {
      const reply = (await admin.pubsub('NUMSUB', channel)) as [string, number];
      return Number(reply[1]) === n;
    },
    8000,
    `${n} subscribers on ${channel}`,
  );
}

async function clientId(admin: Redis, name: string): Promise<string> {
  const list = (await admin.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  if (!line) throw new Error(`no Redis connection named ${name}`);
  return /^id=(\d+)/.exec(line)![1];
}

/** Resolves when each client (ioredis or node-redis: both emit `ready`) has reconnected. */
function readyAgain(...clients: Redis[]): Promise<unknown[]> {
  return Promise.all(clients.map((c) => once(c, 'ready')));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** A private redis-server on `port`, for the restart test. */
async function startRedisServer(port: number): Promise<{ stop(): Promise<void> }> {
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    proc.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let stopped = false;
  const handle = {
    async stop() {
      if (!stopped) {
        stopped = true;
        proc.kill('SIGKILL');
      }
      await exited;
    },
  };
  track({ close: () => handle.stop() }, true);
  return handle;
}

describeRedis('cluster failure behaviour (Redis)', () => {
  beforeAll(requireRedis);
  // jest fails a test on any unhandled rejection, so none go unnoticed.
  afterEach(closeAll);

  it('fails requests with WG_ERR_ACK_TIMEOUT when a server stops answering', async () => {
    const key = uniqueKey();
    const a = await startNode('A', key, { requestsTimeout: 400 });
    // Counted as a server (it listens to the request channel) but never answers.
    const deaf = adminClient();
    await deaf.subscribe((a.adapter() as RedisAdapter).requestChannel);
    await waitForCluster([a], 2);
    const started = Date.now();
    const [fetched, joined, acked] = await Promise.all([
      failure(a.io.fetchSockets()),
      failure(a.io.socketsJoin('x')),
      failure(a.io.serverSideEmitWithAck('ping')),
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect([fetched?.code, joined?.code, acked?.code]).toEqual([
      'WG_ERR_ACK_TIMEOUT',
      'WG_ERR_ACK_TIMEOUT',
      'WG_ERR_ACK_TIMEOUT',
    ]);
    expect(fetched?.message).toBe(
      'fetchSockets: 1 of 1 other server(s) did not answer within 400 ms (requestsTimeout)',
    );
    expect(joined?.message).toMatch(/^socketsJoin: /);
    expect(a.errors).toEqual([]);
  });

  it('stops counting a killed server as soon as Redis drops its connection', async () => {
    const key = uniqueKey();
    const [a, b] = await Promise.all([startNode('A', key), startNode('B', key)]);
    const child = await startChild(key);
    await waitForCluster([a, b], 3);
    const [a1, b1, c1] = await Promise.all([a.connect(), b.connect(), connectTo(child.url)]);
    for (const client of [a1, b1, c1]) client.on('q', (ack: (r: string) => void) => ack('ok'));

    await child.kill();
    await waitForCluster([a, b], 2);
    const started = Date.now();
    const [sockets, replies] = await Promise.all([
      a.io.fetchSockets(),
      a.io.timeout(3000).emitWithAck('q'),
    ]);
    expect(sockets.map((s) => s.id).sort()).toEqual([a1.id, b1.id].sort());
    expect(replies).toEqual(['ok', 'ok']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('forgets a server that closes at once (no heartbeat timeout needed)', async () => {
    const key = uniqueKey();
    const [a, b, c] = await Promise.all([
      startNode('A', key),
      startNode('B', key),
      startNode('C', key),
    ]);
    await waitForCluster([a, b, c], 3);
    const started = Date.now();
    await c.close();
    await waitForCluster([a, b], 2);
    expect(Date.now() - started).toBeLessThan(2000); // heartbeatTimeout is 10 s here
  });

  it.each([
    ['classic', {}],
    ['sharded', { sharded: true }],
  ])('ignores garbage published on its channels (%s)', async (_mode, opts) => {
    const key = uniqueKey();
    const [a, b] = await Promise.all([startNode('A', key, opts), startNode('B', key, opts)]);
    await waitForCluster([a, b], 2);
    const b1 = await b.connect();
    await join(b1, 'room');
    await waitForRoomChannel(b, 'room');
    const admin = adminClient();
    const { encode } = await import('@msgpack/msgpack');
    const garbage: (string | Buffer)[] = [
      'not a message',
      '{"type":5,"requestId":"x","opts":42}',
      '{"type":7,"requestId":"y","packet":null,"opts":{"rooms":[]}}',
      '{"uid":"z","nsp":"/","type":3,"data":{"packet":{"type":2,"data":"no array"},"opts":{"rooms":[]}}}',
      '{"uid":"z","nsp":"/","type":7,"data":{"requestId":"r","opts":{"rooms":[{}]}}}',
      '{"uid":"z","nsp":"/","type":9,"data":{"packet":"not an array"}}',
      Buffer.from(encode(['x', { type: 2, data: [1] }, { rooms: 'no' }])),
      Buffer.from(encode(['x', null, null])),
      Buffer.from(encode({ uid: 'z', nsp: '/', type: 4, data: { opts: null } })),
      Buffer.from([0xc1]),
    ];
    const adapter = a.adapter();
    const channels =
      'requestChannel' in adapter
        ? [
            adapter.channel,
            `${adapter.channel}room#`,
            adapter.requestChannel,
            adapter.responseChannel,
          ]
        : [adapter.channel, adapter.responseChannel, `${adapter.channel}room#`];
    for (const channel of channels) {
      for (const message of garbage) {
        if ('requestChannel' in adapter) await admin.publish(channel, message);
        else await admin.call('SPUBLISH', channel, message);
      }
    }
    const got = once(b1, 'still');
    a.io.to('room').emit('still', 'fine');
    expect(await got).toBe('fine');
    expect((await a.io.fetchSockets()).map((s) => s.id)).toEqual([b1.id]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it.each([
    ['ioredis', {}],
    ['node-redis', { nodeRedis: true }],
  ])(
    'works again after its Redis connections are killed with CLIENT KILL (%s)',
    async (_client, opts) => {
      const key = uniqueKey();
      const [a, b] = await Promise.all([startNode('A', key, opts), startNode('B', key, opts)]);
      await waitForCluster([a, b], 2);
      const [a1, b1] = await Promise.all([a.connect(), b.connect()]);
      const admin = adminClient();
      const ids = await Promise.all([
        clientId(admin, `${key}-B-sub`),
        clientId(admin, `${key}-B-pub`),
        clientId(admin, `${key}-A-sub`),
      ]);

      const reconnected = readyAgain(b.sub, b.pub, a.sub);
      for (const id of ids) await admin.client('KILL', 'ID', id);
      await reconnected;
      await waitForSubscribers(admin, (a.adapter() as RedisAdapter).requestChannel, 2);

      const toB = once(b1, 'after');
      a.io.emit('after', 'A to B');
      expect(await toB).toBe('A to B');
      const toA = once(a1, 'after');
      b.io.emit('after', 'B to A');
      expect(await toA).toBe('B to A');
      expect((await a.io.fetchSockets()).map((s) => s.id).sort()).toEqual([a1.id, b1.id].sort());
      b.io.of('/').on('ping', (ack: (r: string) => void) => ack('pong'));
      expect(await a.io.serverSideEmitWithAck('ping')).toEqual(['pong']);
    },
  );

  (hasRedisServer ? it : it.skip)(
    'joins the cluster once Redis comes up, even after the client gave up subscribing',
    async () => {
      const port = await freePort();
      const key = uniqueKey();
      // maxRetriesPerRequest 0: ioredis fails the first SUBSCRIBE at once instead of queueing it.
      const opts = { redisPort: port, ioredis: { maxRetriesPerRequest: 0 } };
      const [a, b] = await Promise.all([startNode('A', key, opts), startNode('B', key, opts)]);
      await waitUntil(
        () => a.errors.length > 0 && b.errors.length > 0,
        5000,
        'the failed subscriptions to be reported',
      );
      const subscribeFailure = /^wiregate\/redis: P?SUBSCRIBE \S+ .*failed, retrying: /;
      await waitUntil(
        () => a.errors.some((e) => subscribeFailure.test(e.message)),
        5000,
        'the adapter error',
      );
      // A namespace whose adapter nobody listens to reports to io's adapter_error.
      const reported: { nsp: string; err: Error }[] = [];
      (a.io as unknown as NodeJS.EventEmitter).on(
        'adapter_error',
        (e: { nsp: string; err: Error }) => reported.push(e),
      );
      a.io.of('/quiet');
      await waitUntil(() => reported.length > 0, 5000, 'adapter_error for /quiet');
      expect(reported[0].nsp).toBe('/quiet');
      expect(reported[0].err.message).toMatch(subscribeFailure);
      await startRedisServer(port);
      await waitForCluster([a, b], 2);
      const b1 = await b.connect();
      const got = once(b1, 'late');
      a.io.emit('late', 'joined');
      expect(await got).toBe('joined');
    },
  );

  (hasRedisServer ? it : it.skip)(
    'survives a Redis restart and works again once the clients reconnect',
    async () => {
      const port = await freePort();
      let redis = await startRedisServer(port);
      const key = uniqueKey();
      const opts = { redisPort: port, requestsTimeout: 500 };
      const [a, b]: Node[] = await Promise.all([
        startNode('A', key, opts),
        startNode('B', key, opts),
      ]);
      await waitForCluster([a, b], 2);
      const [a1, b1] = await Promise.all([a.connect(), b.connect()]);

      const reconnected = readyAgain(a.pub, a.sub, b.pub, b.sub);
      await redis.stop();
      // While Redis is down: nothing throws, requests fail after requestsTimeout.
      expect(a.io.emit('during', 'outage')).toBe(true);
      const err = await failure(a.io.fetchSockets());
      expect(err?.code).toBe('WG_ERR_ACK_TIMEOUT');

      redis = await startRedisServer(port);
      await reconnected;
      await waitForSubscribers(adminClient(port), (a.adapter() as RedisAdapter).requestChannel, 2);
      const toB = once(b1, 'after');
      a.io.emit('after', 'restart');
      expect(await toB).toBe('restart');
      expect((await b.io.fetchSockets()).map((s) => s.id).sort()).toEqual([a1.id, b1.id].sort());
    },
  );
});

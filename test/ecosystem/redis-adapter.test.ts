// @socket.io/redis-adapter (classic PUB/SUB and sharded SPUBLISH/SSUBSCRIBE) and
// @socket.io/redis-streams-adapter passed to wiregate: two servers in this process, once
// socket.io 4.8 and once wiregate, run the same cross-server scenario, and official clients must
// observe the same thing. Keys, channels and streams are unique per test (Redis is shared).
import {
  createAdapter as createRedisAdapter,
  createShardedAdapter,
} from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from '@redis/client';
import { Redis } from 'ioredis';
import {
  IMPLS,
  REDIS,
  closeAll,
  onCleanup,
  redisService,
  startServer,
  uniqueName,
  type AnyAdapter,
  type Impl,
} from './ecosystem-harness';
import { expectScenario, runCrossServerScenario, type Observations } from './cross-server-scenario';

const redis = redisService();
afterEach(closeAll);

/** An ioredis client, disconnected at cleanup. */
export function ioredisClient(): Redis {
  const client = new Redis({ ...REDIS, lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined); // a test that stops the connection on purpose
  onCleanup(() => client.disconnect());
  return client;
}

/** A connected node-redis client, destroyed at cleanup. */
export async function nodeRedisClient() {
  const client = createClient({ socket: { host: REDIS.host, port: REDIS.port } });
  client.on('error', () => undefined);
  await client.connect();
  onCleanup(() => client.destroy());
  return client;
}

/** Builds one server's adapter (each server has its own clients, as two processes would). */
type AdapterFor = (key: string) => Promise<AnyAdapter>;

async function scenario(impl: Impl, adapterFor: AdapterFor): Promise<Observations> {
  const key = uniqueName('wg-eco');
  const a = await startServer(impl, 'A', await adapterFor(key));
  const b = await startServer(impl, 'B', await adapterFor(key));
  try {
    return await runCrossServerScenario(a.url, b.url);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function compare(adapterFor: AdapterFor): Promise<void> {
  const seen: Partial<Record<Impl, Observations>> = {};
  for (const impl of IMPLS) {
    seen[impl] = await scenario(impl, adapterFor);
    await closeAll();
  }
  expectScenario(seen['socket.io']!);
  expect(seen.wiregate).toEqual(seen['socket.io']);
}

const SCENARIO =
  'broadcasts both ways (binary too), rooms, fetchSockets, socketsJoin/Leave, serverSideEmit(WithAck), broadcast acks, disconnectSockets';

redis.describe('@socket.io/redis-adapter 8.3.0 on wiregate, compared with socket.io 4.8', () => {
  beforeAll(() => redis.require());

  it(`classic, ioredis: ${SCENARIO}`, async () => {
    await compare(async (key) => {
      const pub = ioredisClient();
      return createRedisAdapter(pub, ioredisClient(), { key, requestsTimeout: 5000 });
    });
  }, 90_000);

  it(`classic, node-redis: ${SCENARIO}`, async () => {
    await compare(async (key) =>
      createRedisAdapter(await nodeRedisClient(), await nodeRedisClient(), {
        key,
        requestsTimeout: 5000,
      }),
    );
  }, 90_000);

  it(`sharded (dynamic subscriptions), node-redis: ${SCENARIO}`, async () => {
    await compare(async (key) =>
      createShardedAdapter(await nodeRedisClient(), await nodeRedisClient(), {
        channelPrefix: key,
        subscriptionMode: 'dynamic',
      }),
    );
  }, 90_000);

  it(`sharded (static subscriptions), ioredis: ${SCENARIO}`, async () => {
    await compare(async (key) =>
      createShardedAdapter(ioredisClient(), ioredisClient(), {
        channelPrefix: key,
        subscriptionMode: 'static',
      }),
    );
  }, 90_000);
});

redis.describe(
  '@socket.io/redis-streams-adapter 0.3.1 on wiregate, compared with socket.io 4.8',
  () => {
    beforeAll(() => redis.require());

    /** The stream of one test run, deleted at cleanup. */
    function streamFor(key: string): { streamName: string; channelPrefix: string } {
      const cleaner = ioredisClient();
      onCleanup(() => cleaner.del(key).catch(() => undefined));
      return { streamName: key, channelPrefix: key };
    }

    it(`ioredis: ${SCENARIO}`, async () => {
      await compare(async (key) =>
        createStreamsAdapter(ioredisClient(), {
          ...streamFor(key),
          blockTimeInMs: 500,
          heartbeatInterval: 500,
          heartbeatTimeout: 3000,
        }),
      );
    }, 90_000);

    it(`node-redis: ${SCENARIO}`, async () => {
      await compare(async (key) =>
        createStreamsAdapter(await nodeRedisClient(), {
          ...streamFor(key),
          blockTimeInMs: 500,
          heartbeatInterval: 500,
          heartbeatTimeout: 3000,
        }),
      );
    }, 90_000);
  },
);

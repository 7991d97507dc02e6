// @socket.io/redis-adapter (classic PUB/SUB and sharded SPUBLISH/SSUBSCRIBE) and
// @socket.io/redis-streams-adapter passed to wiregate: two servers in this process, once
// socket.io 4.8 and once wiregate, run the same cross-server scenario, and official clients must
// observe the same thing. Keys, channels and streams are unique per test (Redis is shared).
import {
  createAdapter as createRedisAdapter,
  createShardedAdapter,
} from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import {
  IMPLS,
  closeAll,
  onCleanup,
  pollUntil,
  redisService,
  startServer,
  uniqueName,
  type AdapterVia,
  type AnyAdapter,
  type Impl,
} from './ecosystem-harness';
import { ioredisClient, nodeRedisClient } from './service-clients';
import {
  expectScenario,
  runCrossServerScenario,
  type Observations,
  type ScenarioOptions,
} from './cross-server-scenario';

const redis = redisService();
afterEach(closeAll);

/** Builds one server's adapter (each server has its own clients, as two processes would). */
type AdapterFor = (key: string) => Promise<AnyAdapter>;

/** Scenario options that depend on the test's key. */
type OptionsFor = (key: string) => ScenarioOptions;

/** How a test runs the scenario: options that depend on its key, how servers get the adapter. */
interface Case {
  optionsFor?: OptionsFor;
  via?: AdapterVia;
}

async function scenario(
  impl: Impl,
  adapterFor: AdapterFor,
  { optionsFor, via }: Case,
): Promise<Observations> {
  const key = uniqueName('wg-eco');
  const a = await startServer(impl, 'A', await adapterFor(key), undefined, via);
  const b = await startServer(impl, 'B', await adapterFor(key), undefined, via);
  try {
    return await runCrossServerScenario(a.url, b.url, optionsFor?.(key));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function compare(adapterFor: AdapterFor, testCase: Case = {}): Promise<void> {
  const seen: Partial<Record<Impl, Observations>> = {};
  for (const impl of IMPLS) {
    seen[impl] = await scenario(impl, adapterFor, testCase);
    await closeAll();
  }
  expectScenario(seen['socket.io']!);
  expect(seen.wiregate).toEqual(seen['socket.io']);
}

/**
 * The sharded adapter's dynamic mode subscribes to a room's channel when a socket of the server
 * first joins it, after the join: wait for the subscriptions before broadcasting to the room.
 */
const dynamicRooms: OptionsFor = (key) => {
  const redis = ioredisClient();
  return {
    roomReady: (room, servers) =>
      pollUntil(`${servers} subscribers of room ${room}`, async () => {
        const reply = (await redis.call('PUBSUB', 'SHARDNUMSUB', `${key}#/#${room}#`)) as [
          string,
          number,
        ];
        return reply[1] === servers;
      }),
  };
};

const SCENARIO =
  'broadcasts both ways (binary too), rooms, fetchSockets, RemoteSocket emit/join, socketsJoin/Leave, serverSideEmit(WithAck), broadcast acks, disconnectSockets';

redis.describe('@socket.io/redis-adapter 8.3.0 on wiregate, compared with socket.io 4.8', () => {
  beforeAll(() => redis.require());

  it(`classic, ioredis: ${SCENARIO}`, async () => {
    await compare(async (key) => {
      const pub = ioredisClient();
      return createRedisAdapter(pub, ioredisClient(), { key, requestsTimeout: 5000 });
    });
  }, 90_000);

  it(`classic, node-redis, set with io.adapter() after construction: ${SCENARIO}`, async () => {
    await compare(
      async (key) =>
        createRedisAdapter(await nodeRedisClient(), await nodeRedisClient(), {
          key,
          requestsTimeout: 5000,
        }),
      { via: 'io.adapter()' },
    );
  }, 90_000);

  it(`sharded (dynamic subscriptions), node-redis: ${SCENARIO}`, async () => {
    await compare(
      async (key) =>
        createShardedAdapter(await nodeRedisClient(), await nodeRedisClient(), {
          channelPrefix: key,
          subscriptionMode: 'dynamic',
        }),
      { optionsFor: dynamicRooms },
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

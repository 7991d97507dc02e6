// The gateway framework with third-party socket.io adapters: createApp({ adapter }) on two
// servers, a handler's broadcast reaching the other server's clients, fetchSockets across both.
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createApp } from '../../src';
import type { AdapterConstructor } from '../../src/server';
import { BroadcastGateway } from '../fixtures/ecosystem/broadcast.gateway';
import {
  closeAll,
  connect,
  onCleanup,
  pollUntil,
  postgresService,
  redisService,
  uniqueName,
  within,
  type TestClient,
} from './ecosystem-harness';
import { ioredisClient, nodeRedisClient, postgresTable, serverPool } from './service-clients';

afterEach(closeAll);

async function startApp(adapter: AdapterConstructor): Promise<string> {
  const app = await createApp({ gateways: [BroadcastGateway], adapter });
  onCleanup(() => app.close());
  return `http://127.0.0.1:${await app.listen(0)}/eco`;
}

async function crossServerGateway(
  adapterFor: () => Promise<AdapterConstructor> | AdapterConstructor,
): Promise<void> {
  const urls = [await startApp(await adapterFor()), await startApp(await adapterFor())];
  const [alice, bob, carol] = [
    await connect(urls[0], 'alice'),
    await connect(urls[1], 'bob'),
    await connect(urls[1], 'carol'),
  ];
  const ask = (client: TestClient, ev: string, ...args: unknown[]) =>
    within(10_000, `${client.user}'s ${ev}`, client.socket.emitWithAck(ev, ...args));
  for (const client of [alice, bob])
    await pollUntil(
      'both apps to see 2 servers',
      async () => (await ask(client, 'servers')) === 2,
      20_000,
    );

  expect(await ask(alice, 'shout', 'hello')).toBe(5);
  expect(await Promise.all([alice, bob, carol].map((c) => c.waitFor('shouted')))).toEqual([
    ['hello'],
    ['hello'],
    ['hello'],
  ]);

  expect(await ask(carol, 'whisper', 'psst')).toBe(true);
  await Promise.all([alice.waitFor('whispered'), bob.waitFor('whispered')]);
  // carol sent it: after a shout of hers reached her, the whisper would have too.
  await ask(carol, 'shout', 'done');
  await carol.waitFor('shouted', 2);
  expect(carol.log.filter(([ev]) => ev === 'whispered')).toEqual([]);

  const ids = [alice, bob, carol].map((c) => c.socket.id!).sort();
  expect(await ask(alice, 'census')).toEqual(ids);
  expect(await ask(bob, 'census')).toEqual(ids);
}

postgresService().describe('createApp({ adapter }) with @socket.io/postgres-adapter', () => {
  beforeAll(() => postgresService().require());

  it('a handler on one server broadcasts to clients of both; fetchSockets sees every socket', async () => {
    const { tableName, channelPrefix } = await postgresTable();
    await crossServerGateway(() =>
      createPostgresAdapter(serverPool(), {
        tableName,
        channelPrefix,
        heartbeatInterval: 500,
        heartbeatTimeout: 3000,
      }),
    );
  }, 60_000);
});

redisService().describe('createApp({ adapter }) with @socket.io/redis-streams-adapter', () => {
  beforeAll(() => redisService().require());

  it('a handler on one server broadcasts to clients of both; fetchSockets sees every socket', async () => {
    const streamName = uniqueName('wg-eco-app');
    const cleaner = ioredisClient();
    onCleanup(() => cleaner.del(streamName));
    await crossServerGateway(() =>
      createStreamsAdapter(ioredisClient(), {
        streamName,
        channelPrefix: streamName,
        blockTimeInMs: 500,
        heartbeatInterval: 500,
        heartbeatTimeout: 3000,
      }),
    );
  }, 60_000);
});

redisService().describe(
  'createApp({ adapter }) with @socket.io/redis-adapter (sharded, static subscriptions)',
  () => {
    beforeAll(() => redisService().require());

    it('a handler on one server broadcasts to clients of both; fetchSockets sees every socket', async () => {
      const channelPrefix = uniqueName('wg-eco-app');
      await crossServerGateway(async () =>
        createShardedAdapter(await nodeRedisClient(), await nodeRedisClient(), {
          channelPrefix,
          subscriptionMode: 'static',
        }),
      );
    }, 60_000);
  },
);

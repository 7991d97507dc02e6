// The gateway framework over the Redis adapter: createApp({ adapter }) on two servers.
import { Redis } from 'ioredis';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { createApp, type App } from '../../src';
import { createAdapter, type RedisAdapter } from '../../src/redis';
import { RelayGateway } from '../fixtures/cluster/relay.gateway';
import { closeAll, describeRedis, once, REDIS, requireRedis, track, uniqueKey, waitUntil } from './cluster-harness';

async function startApp(key: string): Promise<{ app: App; url: string }> {
  const pub = new Redis(REDIS);
  const sub = new Redis(REDIS);
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  track({ close: async () => void [pub, sub].forEach((c) => c.disconnect()) }, true);
  const app = await createApp({ gateways: [RelayGateway], adapter: createAdapter(pub, sub, { key }) });
  track({ close: () => app.close() });
  const port = await app.listen(0);
  return { app, url: `http://127.0.0.1:${port}/relay` };
}

async function connect(url: string): Promise<ClientSocket> {
  const client = connectClient(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  track({ close: async () => void client.disconnect() });
  await once(client, 'connect');
  return client;
}

describeRedis('gateways across servers (createApp with the Redis adapter)', () => {
  beforeAll(requireRedis);
  afterEach(closeAll);

  it('a handler on one server broadcasts to clients of the other and sees every socket', async () => {
    const key = uniqueKey();
    const [a, b] = await Promise.all([startApp(key), startApp(key)]);
    const adapters = [a, b].map((s) => s.app.server.of('/relay').adapter as unknown as RedisAdapter);
    await waitUntil(async () => (await Promise.all(adapters.map((x) => x.serverCount()))).every((n) => n === 2), 5000, 'two servers');
    const [a1, b1] = await Promise.all([connect(a.url), connect(b.url)]);

    const said = once(b1, 'said');
    expect(await a1.emitWithAck('say', 'hello')).toBe(5);
    expect(await said).toBe('hello');
    expect(await b1.emitWithAck('who')).toEqual([a1.id, b1.id].sort());
  });
});

// samples/cluster: two servers of the same gateway app share rooms through the real Redis;
// a message sent to server a reaches a client of server b.
import type { Socket } from 'socket.io-client';
import type { ChatMessage } from '../../samples/cluster/chat.gateway';
import { startNode, type RunningNode } from '../../samples/cluster/node';
import { Clients } from './clients';
import { describeWithRedis, REDIS_URL, requireRedis } from './redis';

/** Waits (bounded) until every node counts `n` servers: they have heard each other through Redis. */
async function untilClustered(nodes: RunningNode[], n: number): Promise<void> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const counts = await Promise.all(
      nodes.map((node) => node.app.server.of('/chat').adapter.serverCount()),
    );
    if (counts.every((c) => c === n)) return;
    if (Date.now() > deadline)
      throw new Error(`servers count ${counts.join(', ')}, expected ${n} each`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithRedis('samples/cluster (Redis)', () => {
  const clients = new Clients();
  let nodes: RunningNode[] = [];

  beforeAll(requireRedis);

  beforeEach(async () => {
    const key = `wg-sample-test-${process.pid}-${Date.now().toString(36)}`;
    nodes = await Promise.all(
      ['a', 'b'].map((name) =>
        startNode({ name, port: 0, host: '127.0.0.1', redisUrl: REDIS_URL, key }),
      ),
    );
    await untilClustered(nodes, 2);
  });

  afterEach(async () => {
    clients.closeAll();
    await Promise.all(nodes.map((node) => node.close()));
  });

  const connect = (node: RunningNode, name: string): Promise<Socket> =>
    clients.connect(`http://127.0.0.1:${node.port}/chat`, { auth: { name } });

  it('delivers a message sent to server a to a member connected to server b', async () => {
    const [a, b] = nodes;
    const [alice, bob] = await Promise.all([connect(a, 'alice'), connect(b, 'bob')]);
    await bob.emitWithAck('chat:join', { room: 'lobby' });
    const joined = await alice.emitWithAck('chat:join', { room: 'lobby' });
    expect(joined).toEqual({ room: 'lobby', members: ['alice', 'bob'] });

    const received = new Promise<ChatMessage>((resolve) => bob.once('chat:message', resolve));
    const ack = await alice.emitWithAck('chat:message', { room: 'lobby', text: 'hi from a' });
    expect(ack).toMatchObject({ room: 'lobby', from: 'alice', text: 'hi from a', server: 'a' });
    expect(await received).toEqual(ack);
  });

  it('keeps rooms apart across servers', async () => {
    const [a, b] = nodes;
    const [alice, bob, carol] = await Promise.all([
      connect(a, 'alice'),
      connect(b, 'bob'),
      connect(b, 'carol'),
    ]);
    await Promise.all([
      bob.emitWithAck('chat:join', { room: 'lobby' }),
      carol.emitWithAck('chat:join', { room: 'games' }),
    ]);
    await alice.emitWithAck('chat:join', { room: 'games' });
    await alice.emitWithAck('chat:join', { room: 'lobby' });
    const firstToBob = new Promise<ChatMessage>((resolve) => bob.once('chat:message', resolve));
    const firstToCarol = new Promise<ChatMessage>((resolve) => carol.once('chat:message', resolve));
    await alice.emitWithAck('chat:message', { room: 'games', text: 'gg' });
    await alice.emitWithAck('chat:message', { room: 'lobby', text: 'hello' });
    // Server a publishes both on one Redis channel, in order: had bob been sent the games
    // message, it would have been his first.
    expect(await firstToBob).toMatchObject({ room: 'lobby', text: 'hello' });
    expect(await firstToCarol).toMatchObject({ room: 'games', text: 'gg' });
  });

  it('refuses a client without a name at connection, and a message to a room not joined', async () => {
    const [a] = nodes;
    const refused = await clients.refused(`http://127.0.0.1:${a.port}/chat`);
    expect(refused.data).toMatchObject({ code: 'NAME_REQUIRED' });
    const alice = await connect(a, 'alice');
    expect(await alice.emitWithAck('chat:message', { room: 'lobby', text: 'hi' })).toEqual({
      error: expect.objectContaining({ code: 'NOT_A_MEMBER' }),
    });
    expect(await alice.emitWithAck('chat:join', { room: 'Not A Room!' })).toEqual({
      error: expect.objectContaining({ code: 'WG_ERR_VALIDATION' }),
    });
  });
});

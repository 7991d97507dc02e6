// NestJS's own reply semantics (the default), asserted on NestJS and on wiregate with
// one gateway file: undecorated parameters, extra arguments, empty returns, { event, data }.
import { waitFor } from '../../src/testing';
import { RepliesModule } from './gateways/replies.gateway';
import { ackOrNothing, startBoth, type Both } from './support/both';

describe('NestJS replies, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(
      require.resolve('./gateways/replies.gateway'),
      'RepliesModule',
      RepliesModule,
    );
  });

  afterAll(() => both.close());

  it('gives undecorated parameters the socket, then the payload', async () => {
    const [ours, nest] = await both.run(async (connect) =>
      (await connect('/replies')).emitWithAck('echo', { hi: 1 }),
    );
    expect(nest).toEqual({ from: 'string', payload: { hi: 1 } });
    expect(ours).toEqual(nest);
  });

  it('gives undecorated parameters the ack after the payload, and undefined after that', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/replies');
      const withAck = await client.emitWithAck('positions', 'p');
      return withAck;
    });
    expect(nest).toEqual(['function', 'p', 'function', null]); // undefined, sent as null
    expect(ours).toEqual(nest);
  });

  it('passes every argument as an array when the client sends several', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/replies');
      return [
        await client.emitWithAck('echo', 1, 'two', { three: 3 }),
        await client.emitWithAck('body', 1, 2),
        await client.emitWithAck('body'),
      ];
    });
    expect(nest).toEqual([
      { from: 'string', payload: [1, 'two', { three: 3 }] },
      { body: [1, 2] },
      {},
    ]);
    expect(ours).toEqual(nest);
  });

  it('answers nothing when the handler returns undefined or null', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/replies');
      return [await ackOrNothing(client, 'nothing', []), await ackOrNothing(client, 'null', [])];
    });
    expect(nest).toEqual(['no ack', 'no ack']);
    expect(ours).toEqual(nest);
  });

  it('emits a result with an event instead of acking it, extra keys or not', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/replies');
      const first = waitFor(client, 'evented');
      const ack1 = await ackOrNothing(client, 'event', ['x']);
      const data1 = await first;
      const second = waitFor(client, 'evented');
      const ack2 = await ackOrNothing(client, 'event:extra', []);
      return [ack1, data1, ack2, await second];
    });
    expect(nest).toEqual(['no ack', 'x', 'no ack', 2]);
    expect(ours).toEqual(nest);
  });

  it('leaves the ack to a handler that takes @Ack()', async () => {
    const [ours, nest] = await both.run(async (connect) =>
      (await connect('/replies')).emitWithAck('later', 5),
    );
    expect(nest).toEqual({ later: 5 });
    expect(ours).toEqual(nest);
  });
});

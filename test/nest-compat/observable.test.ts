// Observable results (each value answered as NestJS does) and interceptors built on
// next.handle().pipe(…), asserted on NestJS and on wiregate.
import {
  MessageBody,
  SubscribeMessage,
  UseInterceptors,
  WebSocketGateway,
  type CallHandler,
  type ExecutionContext,
  type Interceptor,
} from '../../src';
import { createTestingApp } from '../../src/testing';
import { StreamsModule } from './gateways/observable.gateway';
import { eventsAfter, startBoth, type Both } from './support/both';

describe('Observables, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(
      require.resolve('./gateways/observable.gateway'),
      'StreamsModule',
      StreamsModule,
      {
        errors: 'nestjs',
      },
    );
  });

  afterAll(() => both.close());

  it("emits each value of a stream of { event, data } (the sample's 3 numbers)", async () => {
    const [ours, nest] = await both.run(async (connect) =>
      eventsAfter(await connect('/streams'), 'events', []),
    );
    expect(nest).toEqual([
      ['events', 1],
      ['events', 2],
      ['events', 3],
    ]);
    expect(ours).toEqual(nest);
  });

  it('acks a stream of values once, with its first value, and a promise with its value', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/streams');
      return [
        await client.timeout(5000).emitWithAck('acked'),
        await client.timeout(5000).emitWithAck('identity', 7),
      ];
    });
    expect(nest).toEqual([1, 7]);
    expect(ours).toEqual(nest);
  });

  it('runs interceptors that pipe next.handle(), around sync and async handlers', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/streams');
      return [
        await client.timeout(5000).emitWithAck('wrapped', 'a'),
        await client.timeout(5000).emitWithAck('wrapped:async', 'b'),
      ];
    });
    expect(nest).toEqual([{ wrapped: 'a' }, { wrapped: 'b' }]);
    expect(ours).toEqual(nest);
  });

  it('lets a guard answer with an Observable', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/streams');
      return [
        await eventsAfter(client, 'guarded', ['ok']),
        await eventsAfter(client, 'guarded', ['deny']),
      ];
    });
    expect(nest).toEqual([
      [],
      [
        [
          'exception',
          {
            status: 'error',
            message: 'Forbidden resource',
            cause: { pattern: 'guarded', data: 'deny' },
          },
        ],
      ],
    ]);
    expect(ours).toEqual(nest);
  });

  it('answers a stream that fails after a value with the value, then the exception', async () => {
    const [ours, nest] = await both.run(async (connect) =>
      eventsAfter(await connect('/streams'), 'broken', []),
    );
    expect(nest).toEqual([
      ['piece', 'first'],
      ['exception', { status: 'error', message: 'stream broke', cause: { pattern: 'broken' } }],
    ]);
    expect(ours).toEqual(nest);
  });
});

class AwaitingInterceptor implements Interceptor {
  async intercept(_context: ExecutionContext, next: CallHandler): Promise<unknown> {
    return { awaited: await next.handle() };
  }
}

@WebSocketGateway({ namespace: 'await' })
@UseInterceptors(AwaitingInterceptor)
class AwaitGateway {
  @SubscribeMessage('sync')
  sync(@MessageBody() body: unknown): unknown {
    return body;
  }

  @SubscribeMessage('async')
  async later(@MessageBody() body: unknown): Promise<unknown> {
    return body;
  }
}

describe("interceptors written for wiregate's value style", () => {
  it('can await next.handle() in the default (Observable) style too', async () => {
    const t = await createTestingApp({ gateways: [AwaitGateway] });
    try {
      const client = await t.connect('/await');
      await expect(client.timeout(5000).emitWithAck('sync', 1)).resolves.toEqual({ awaited: 1 });
      await expect(client.timeout(5000).emitWithAck('async', 2)).resolves.toEqual({ awaited: 2 });
    } finally {
      await t.close();
    }
  });
});

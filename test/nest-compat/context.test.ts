// NestJS's ExecutionContext / ArgumentsHost in guards, interceptors and pipes, and
// Reflector with SetMetadata, asserted on NestJS and on wiregate.
import { ContextModule } from './gateways/context.gateway';
import { startBoth, type Both } from './support/both';

describe('NestJS execution context, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(
      require.resolve('./gateways/context.gateway'),
      'ContextModule',
      ContextModule,
    );
  });

  afterAll(() => both.close());

  it('gives guards and interceptors switchToWs(), getClass(), getHandler(), getType(), getArgs() and metadata', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/context', { auth: { role: 'user' } });
      const looked = await client.timeout(5000).emitWithAck('look', { x: 1 });
      const seen = (await client.timeout(5000).emitWithAck('seen')) as Record<
        string,
        Record<string, unknown>
      >;
      // The socket id differs per run; compare it with the client's own.
      for (const saw of Object.values(seen)) saw.clientId = saw.clientId === client.id;
      return { looked, seen };
    });
    const saw = {
      type: 'ws',
      cls: 'ContextGateway',
      handler: 'look',
      pattern: 'look',
      data: { x: 1 },
      clientId: true,
      args: ['object', 'object', 'function', 'string'],
      arg1: { x: 1 },
      roles: ['user'],
      classRoles: ['user'],
    };
    expect(nest).toEqual({
      looked: {
        body: { value: { x: 1 }, type: 'body', data: null, metatype: 'String' },
        x: { value: 1, type: 'body', data: 'x', metatype: 'Number' },
      },
      seen: { guard: saw, interceptor: saw },
    });
    expect(ours).toEqual(nest);
  });
});

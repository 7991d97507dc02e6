// Request-scoped providers and gateways: one instance per connection, REQUEST is the
// socket, singletons stay shared — on NestJS and on wiregate.
import { ScopedModule } from './gateways/scoped.gateway';
import { startBoth, type Both } from './support/both';

describe('request scope as per-connection scope, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(
      require.resolve('./gateways/scoped.gateway'),
      'ScopedModule',
      ScopedModule,
    );
  });

  afterAll(() => both.close());

  it('gives each connection its own gateway and provider, and shares singletons', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const a = await connect('/scoped');
      const b = await connect('/scoped');
      return [
        await a.timeout(5000).emitWithAck('inc'),
        await a.timeout(5000).emitWithAck('inc'),
        await b.timeout(5000).emitWithAck('inc'),
      ];
    });
    expect(nest).toEqual([
      { mine: 1, total: 1, sameClient: true },
      { mine: 2, total: 2, sameClient: true },
      { mine: 1, total: 3, sameClient: true },
    ]);
    expect(ours).toEqual(nest);
  });
});

// NestJS's pipes forms: ValidationPipe built with options, @MessageBody('field', pipe),
// @MessageBody({ pipes }) — on NestJS and on wiregate.
import { PipesModule } from './gateways/pipes.gateway';
import { startBoth, type Both } from './support/both';

describe('NestJS pipes, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(require.resolve('./gateways/pipes.gateway'), 'PipesModule', PipesModule);
  });

  afterAll(() => both.close());

  it('validates with the ValidationPipe options: whitelist strips, transform gives the instance, else a plain object', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/pipes');
      const item = { name: 'pen', quantity: 2, extra: true };
      return [
        await client.timeout(5000).emitWithAck('create', item),
        await client.timeout(5000).emitWithAck('create:plain', item),
      ];
    });
    expect(nest).toEqual([
      { isDto: true, item: { name: 'pen', quantity: 2 } },
      { isDto: false, item: { name: 'pen', quantity: 2 } },
    ]);
    expect(ours).toEqual(nest);
  });

  it("applies @MessageBody('field', pipe) and @MessageBody({ pipes })", async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/pipes');
      return [
        await client.timeout(5000).emitWithAck('page', { page: '3' }),
        await client.timeout(5000).emitWithAck('count', '41'),
      ];
    });
    expect(nest).toEqual([30, 42]);
    expect(ours).toEqual(nest);
  });

  it('answers a failed ValidationPipe with WG_ERR_VALIDATION and every failing property (NestJS: Internal server error)', async () => {
    const client = await both.wiregate.connect('/pipes');
    await expect(
      client.timeout(5000).emitWithAck('create', { name: 1, quantity: 0 }),
    ).resolves.toMatchObject({
      error: {
        code: 'WG_ERR_VALIDATION',
        details: [{ property: 'name' }, { property: 'quantity' }],
      },
    });
  });
});

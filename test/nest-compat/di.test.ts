// NestJS's dependency injection on wiregate's tsyringe: one instance per app wherever a
// singleton is injected (constructor, @Inject(Class), guard, app.get()), asserted on
// NestJS too.
import { createTestingApp } from '../../src/testing';
import { Injectable, Scope, SubscribeMessage, WebSocketGateway } from '../../src';
import { CounterService, DiGateway, DiModule, SeenGuard } from './gateways/di.gateway';
import { startBoth, type Both } from './support/both';

describe('NestJS dependency injection, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(require.resolve('./gateways/di.gateway'), 'DiModule', DiModule);
  });

  afterAll(() => both.close());

  it('injects one instance of a singleton everywhere, every provider form, optional and transient', async () => {
    const [ours, nest] = await both.run(async (connect) =>
      (await connect('/di')).emitWithAck('di'),
    );
    expect(nest).toEqual({
      injectSame: true,
      aliasSame: true,
      guardSame: true,
      started: { at: 1 },
      missing: true,
      prefix: 'n',
      transientDistinct: true,
      next: 2,
    });
    expect(ours).toEqual(nest);
  });

  it('returns the same instance from app.get() as the gateway and the guard hold', () => {
    const counter = both.wiregate.get(CounterService);
    expect(counter).toBe(both.wiregate.get(DiGateway).heldCounter());
    expect(counter).toBe(SeenGuard.lastCounter);
    expect(both.wiregate.get(CounterService)).toBe(counter);
  });
});

@Injectable()
class NeverListed {}

@Injectable({ scope: Scope.TRANSIENT })
class Fresh {}

@WebSocketGateway()
class PlainGateway {
  @SubscribeMessage('x')
  x(): number {
    return 1;
  }
}

describe('app.get() without modules', () => {
  it('gives one instance of an @Injectable() class listed nowhere, and a new one of a transient class', async () => {
    const t = await createTestingApp({ gateways: [PlainGateway] });
    try {
      expect(t.get(NeverListed)).toBe(t.get(NeverListed));
      expect(t.get(Fresh)).not.toBe(t.get(Fresh));
    } finally {
      await t.close();
    }
  });

  it('refuses a module class without @Module()', async () => {
    class NotAModule {}
    await expect(createTestingApp({ modules: [NotAModule] })).rejects.toThrow(
      /NotAModule is listed as a module but has no @Module\(\) decorator/,
    );
  });
});

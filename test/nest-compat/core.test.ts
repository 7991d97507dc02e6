// @nestjs/core names: APP_GUARD, a request-scoped APP_INTERCEPTOR built per connection,
// ModuleRef and ContextIdFactory — on NestJS and on wiregate.
import { APP_GUARD, APP_INTERCEPTOR } from '../../src';
import { createTestingApp } from '../../src/testing';
import {
  Audit,
  AuditGuard,
  CoreGateway,
  CoreModule,
  Helper,
  PerConnectionCounter,
  PerContext,
} from './gateways/core.gateway';
import { startBoth, type Both } from './support/both';

describe('NestJS core providers, on NestJS and on wiregate', () => {
  let both: Both;

  beforeAll(async () => {
    both = await startBoth(require.resolve('./gateways/core.gateway'), 'CoreModule', CoreModule);
  });

  afterAll(() => both.close());

  it('runs module-declared app guards and interceptors, with their dependencies', async () => {
    const [ours, nest] = await both.run(async (connect) => {
      const a = await connect('/core');
      const b = await connect('/core');
      return [
        await a.timeout(5000).emitWithAck('ping', 'x'),
        await a.timeout(5000).emitWithAck('ping', 'y'),
        await b.timeout(5000).emitWithAck('ping', 'z'),
        await b.timeout(5000).emitWithAck('audit'),
      ];
    });
    expect(nest).toEqual([
      { value: 'x', n: 1 },
      { value: 'y', n: 2 },
      { value: 'z', n: 3 },
      { value: ['ping', 'ping', 'ping', 'audit'], n: 4 },
    ]);
    expect(ours).toEqual(nest);
  });

  it('gives ModuleRef get, resolve by context id, and create', async () => {
    const [ours, nest] = await both.run(async (connect) =>
      (await connect('/core')).timeout(5000).emitWithAck('refs'),
    );
    expect(nest).toMatchObject({
      value: { sameInContext: true, newContext: true, get: true, created: true, hello: 'hi' },
    });
    expect(ours).toEqual(nest);
  });
});

describe('request-scoped APP_INTERCEPTOR (wiregate builds it per connection; NestJS skips it for a singleton gateway)', () => {
  it('counts per connection', async () => {
    const t = await createTestingApp({
      gateways: [CoreGateway],
      providers: [
        Audit,
        Helper,
        PerContext,
        { provide: APP_GUARD, useClass: AuditGuard },
        { provide: APP_INTERCEPTOR, useClass: PerConnectionCounter },
      ],
    });
    try {
      const a = await t.connect('/core');
      const b = await t.connect('/core');
      await expect(a.timeout(5000).emitWithAck('ping', 'x')).resolves.toEqual({ value: 'x', n: 1 });
      await expect(a.timeout(5000).emitWithAck('ping', 'y')).resolves.toEqual({ value: 'y', n: 2 });
      await expect(b.timeout(5000).emitWithAck('ping', 'z')).resolves.toEqual({ value: 'z', n: 1 });
    } finally {
      await t.close();
    }
  });
});

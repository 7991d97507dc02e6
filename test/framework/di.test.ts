import { container as globalContainer } from 'tsyringe';
import { createTestingApp, type TestingApp } from '../../src/testing';
import {
  CounterGateway,
  CounterService,
  GREETING,
  OtherCounterGateway,
  SessionState,
} from '../fixtures/gateways/di.gateway';

describe('dependency injection', () => {
  let t: TestingApp;

  beforeEach(async () => {
    const userContainer = globalContainer.createChildContainer();
    userContainer.register(GREETING, { useValue: 'hello from your container' });
    SessionState.disposed = [];
    t = await createTestingApp({
      gateways: [CounterGateway, OtherCounterGateway],
      container: userContainer,
    });
  });

  afterEach(async () => {
    await t.close();
  });

  it('injects services as app singletons shared by gateways, resolvable with app.get', async () => {
    const client = await t.connect('/di');
    await expect(client.emitWithAck('count')).resolves.toBe(1);
    await expect(client.emitWithAck('count:other')).resolves.toBe(2);
    expect(t.get(CounterGateway).counter).toBe(t.get(OtherCounterGateway).counter);
    expect(t.get(CounterService).count).toBe(2);
  });

  it('resolves tokens registered in the container given to createApp', async () => {
    const client = await t.connect('/di');
    await expect(client.emitWithAck('greet')).resolves.toBe('hello from your container');
  });

  it('keeps one per-connection provider per socket, with app singletons injected into it', async () => {
    const [a, b] = await Promise.all([t.connect('/di'), t.connect('/di')]);
    await expect(a.emitWithAck('add', 'x')).resolves.toEqual(['x']);
    await expect(a.emitWithAck('add', 'y')).resolves.toEqual(['x', 'y']);
    await expect(b.emitWithAck('add', 'z')).resolves.toEqual(['z']);
    await expect(a.emitWithAck('same-counter')).resolves.toBe(true);
  });

  it('lets guards resolve per-connection providers from their context', async () => {
    const a = await t.connect('/di');
    await expect(a.emitWithAck('checkout')).resolves.toMatchObject({
      error: { code: 'WG_ERR_FORBIDDEN' },
    });
    await a.emitWithAck('add', 'x');
    await expect(a.emitWithAck('checkout')).resolves.toBe(1);
  });

  it('disposes the per-connection container on disconnect', async () => {
    const a = await t.connect('/di');
    await a.emitWithAck('add', 'x');
    const server = [...t.app.server.of('/di').sockets.values()][0];
    const gone = new Promise((resolve) => server.once('disconnect', resolve));
    a.disconnect();
    await gone;
    expect(SessionState.disposed).toEqual(['x']);
  });

  it('uses a child container per app, never registering into the global one', () => {
    expect(globalContainer.isRegistered(CounterService)).toBe(false);
    expect(t.app.container.isRegistered(CounterService)).toBe(true);
  });
});

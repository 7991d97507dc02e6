import { EventEmitter } from 'node:events';
import { createTestingApp, waitFor, waitForArgs } from '../../src/testing';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';
import { GuardedGateway } from '../fixtures/gateways/guarded.gateway';

describe('wiregate/testing', () => {
  it('waitFor resolves with the first argument, waitForArgs with all of them', async () => {
    const emitter = new EventEmitter();
    const one = waitFor(emitter, 'x');
    const all = waitForArgs(emitter, 'y');
    emitter.emit('x', 1, 2);
    emitter.emit('y', 1, 2);
    await expect(one).resolves.toBe(1);
    await expect(all).resolves.toEqual([1, 2]);
  });

  it('waitFor rejects with a clear message after its timeout and removes its listener', async () => {
    const emitter = new EventEmitter();
    await expect(waitFor(emitter, 'never', { timeout: 10 })).rejects.toThrow(
      'waitFor: no "never" event within 10 ms',
    );
    expect(emitter.listenerCount('never')).toBe(0);
  });

  it('connect rejects with the connect_error, connectError resolves with it, close disconnects clients', async () => {
    const t = await createTestingApp({ gateways: [GuardedGateway, EchoGateway] });
    await expect(t.connect('/secure')).rejects.toThrow('Forbidden');
    await expect(t.connectError('/secure')).resolves.toMatchObject({
      data: { code: 'WG_ERR_FORBIDDEN' },
    });
    const client = await t.connect();
    expect(t.url('/x')).toBe(`http://localhost:${t.port}/x`);
    await t.close();
    expect(client.connected).toBe(false);
  });
});

describe('TestingApp.close() with polling clients', () => {
  // A polling client sends its close packet in a request of its own. close() used to
  // return (and close the server) before that request was answered, so the request ended
  // after the test and jest printed "require … after the Jest environment has been torn down".
  it('returns only after the server has seen every polling client leave', async () => {
    const t = await createTestingApp({ gateways: [EchoGateway] });
    const reasons: string[] = [];
    t.app.server.engine.on('connection', (session: EventEmitter) =>
      session.once('close', (reason: string) => reasons.push(reason)),
    );
    const client = await t.connect('/', { transports: ['polling'] });
    expect(await client.emitWithAck('echo', 'hi')).toBe('hi');
    await t.close();
    expect(client.io.engine.readyState).toBe('closed');
    // The session ended because the client's close request arrived, not because the server shut down.
    expect(reasons).toEqual(['transport close']);
  });
});

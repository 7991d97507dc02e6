// wiregate's own reply mode; NestJS's (the default) is tested in test/nest-compat/replies.test.ts.
import { createTestingApp, waitFor, type TestingApp } from '../../src/testing';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';

describe('handlers and replies', () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({ gateways: [EchoGateway], replies: 'wiregate' });
  });

  afterEach(async () => {
    await t.close();
  });

  it('answers the ack with the return value', async () => {
    const client = await t.connect();
    await expect(client.emitWithAck('echo', { a: 1 })).resolves.toEqual({ a: 1 });
  });

  it('answers the ack with a resolved promise', async () => {
    const client = await t.connect();
    await expect(client.emitWithAck('echo:async', [1, 2])).resolves.toEqual([1, 2]);
  });

  it('emits { event, data } replies instead of acking with them, and still settles the ack', async () => {
    const client = await t.connect();
    const pong = waitFor(client, 'pong');
    const ack = await client.emitWithAck('ping', 42);
    expect(ack).toBeUndefined();
    await expect(pong).resolves.toBe(42);
  });

  it('treats an object with more keys than event and data as an ack value', async () => {
    const client = await t.connect();
    await expect(client.emitWithAck('record:object')).resolves.toEqual({
      event: 'not-emitted',
      data: 1,
      extra: true,
    });
  });

  it('acks with nothing when the handler returns nothing', async () => {
    const client = await t.connect();
    const reply = await new Promise<unknown[]>((resolve) =>
      client.emit('record', 'x', (...args: unknown[]) => resolve(args)),
    );
    expect(reply).toEqual([]);
    expect(t.get(EchoGateway).lastWithoutReply).toBe('x');
  });

  it('injects the connected socket', async () => {
    const client = await t.connect();
    await expect(client.emitWithAck('whoami')).resolves.toBe(client.id);
  });

  it('lets a handler with @Ack() answer later, once', async () => {
    const client = await t.connect();
    await expect(client.emitWithAck('later', 7)).resolves.toEqual({ later: 7 });
  });

  it('injects the namespace and the server, and calls afterInit with the namespace', () => {
    const gateway = t.get(EchoGateway);
    expect(gateway.io).toBe(t.app.server);
    expect(gateway.nsp).toBe(t.app.server.of('/'));
    expect(gateway.initialisedWith).toBe(gateway.nsp);
  });
});

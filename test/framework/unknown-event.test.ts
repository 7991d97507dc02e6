// Issue 15, item 6: docs/errors.md promises that an ack is always answered. An event with an
// ack that no handler subscribes to gets WG_ERR_UNKNOWN_EVENT; without an ack it is ignored.
import { createTestingApp, type TestingApp } from '../../src/testing';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';

describe('an event no handler subscribes to', () => {
  let t: TestingApp;

  afterEach(async () => {
    await t.close();
  });

  it('with an ack: answered with WG_ERR_UNKNOWN_EVENT naming the event', async () => {
    t = await createTestingApp({ gateways: [EchoGateway], replies: 'wiregate' });
    const client = await t.connect();
    await expect(client.timeout(2000).emitWithAck('no:such:event', 1)).resolves.toEqual({
      error: { code: 'WG_ERR_UNKNOWN_EVENT', message: 'No handler for event "no:such:event"' },
    });
    // Known events still reach their handler.
    await expect(client.timeout(2000).emitWithAck('echo', { a: 1 })).resolves.toEqual({ a: 1 });
  });

  it('without an ack: ignored, no exception event, the socket keeps working', async () => {
    t = await createTestingApp({ gateways: [EchoGateway], replies: 'wiregate' });
    const client = await t.connect();
    const exceptions: unknown[] = [];
    client.on('exception', (e: unknown) => exceptions.push(e));
    client.emit('no:such:event', 1);
    // A later round trip on the same connection: anything sent for the first event came before.
    await expect(client.timeout(2000).emitWithAck('echo', 2)).resolves.toBe(2);
    expect(exceptions).toEqual([]);
    expect(client.connected).toBe(true);
  });
});

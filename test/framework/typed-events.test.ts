// The type checks live in the fixture (tsc covers test/); this runs the typed gateway.
import { createTestingApp, waitFor, type TestingApp } from '../../src/testing';
import { TypedGateway } from '../fixtures/gateways/typed.gateway';

describe('typed events', () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({ gateways: [TypedGateway] });
  });

  afterEach(async () => {
    await t.close();
  });

  it('runs a gateway declared with event maps', async () => {
    const [a, b] = await Promise.all([t.connect('/typed'), t.connect('/typed')]);
    const typing = waitFor(b, 'chat:typing');
    const message = waitFor(a, 'chat:message');
    a.emit('chat:send', 'hi');
    await expect(message).resolves.toEqual({ text: 'hi', from: 'anon' });
    await expect(typing).resolves.toBe('anon');
  });
});

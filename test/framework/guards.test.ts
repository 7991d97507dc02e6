import { SubscribeMessage, UseGuards, WebSocketGateway, WS_ERROR_CODES } from '../../src';
import { createTestingApp, waitFor, type TestingApp } from '../../src/testing';
import { GuardedGateway, SessionGuard, asyncDenyGuard } from '../fixtures/gateways/guarded.gateway';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';

describe('guards', () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({ gateways: [GuardedGateway] });
  });

  afterEach(async () => {
    await t.close();
  });

  it('refuses a connection with connect_error carrying the message and the error body', async () => {
    const err = await t.connectError('/secure', { auth: { token: 'nobody' } });
    expect(err.message).toBe('Forbidden');
    expect(err.data).toEqual({ code: WS_ERROR_CODES.FORBIDDEN, message: 'Forbidden' });
    expect(t.get(GuardedGateway).connectedUsers).toEqual([]);
  });

  it('refuses a connection with a WsException code and details', async () => {
    const err = await t.connectError('/secure', { auth: { token: 'banned' } });
    expect(err.message).toBe('You are banned');
    expect(err.data).toEqual({
      code: 'BANNED',
      message: 'You are banned',
      details: { until: 'never' },
    });
  });

  it('runs class guards at connection and before every handler, sharing socket.data', async () => {
    const client = await t.connect('/secure', { auth: { token: 'bob' } });
    await expect(client.emitWithAck('me')).resolves.toEqual({ name: 'bob', role: 'member' });
    expect(t.get(SessionGuard).seen).toEqual(['connection', 'message']);
    expect(t.get(GuardedGateway).connectedUsers).toEqual(['bob']);
  });

  it('reads handler metadata over class metadata (SetMetadata + Reflector)', async () => {
    const bob = await t.connect('/secure', { auth: { token: 'bob' } });
    const alice = await t.connect('/secure', { auth: { token: 'alice' } });
    await expect(bob.emitWithAck('admin:ban', 'eve')).resolves.toEqual({
      error: { code: WS_ERROR_CODES.FORBIDDEN, message: 'Forbidden' },
    });
    await expect(alice.emitWithAck('admin:ban', 'eve')).resolves.toBe('banned eve');
    await expect(bob.emitWithAck('open')).resolves.toBe('class roles apply');
  });

  it('runs async guards given as instances and answers a refusal through the ack', async () => {
    const client = await t.connect('/secure', { auth: { token: 'bob' } });
    await expect(client.emitWithAck('checked', { deny: false })).resolves.toEqual({ deny: false });
    await expect(client.emitWithAck('checked', { deny: true })).resolves.toEqual({
      error: { code: WS_ERROR_CODES.FORBIDDEN, message: 'Forbidden' },
    });
  });

  it('sends a refusal without ack as an exception event', async () => {
    const client = await t.connect('/secure', { auth: { token: 'bob' } });
    const exception = waitFor(client, 'exception');
    client.emit('admin:ban', 'eve');
    await expect(exception).resolves.toEqual({
      error: { code: WS_ERROR_CODES.FORBIDDEN, message: 'Forbidden' },
    });
  });
});

@WebSocketGateway({ namespace: '/secure' })
@UseGuards(SessionGuard)
class SecondSecureGateway {
  @SubscribeMessage('second')
  second(): string {
    return 'second';
  }
}

describe('guards shared by gateways of one namespace', () => {
  it('run once per connection attempt and once per message, even when also app-wide', async () => {
    const t = await createTestingApp({
      gateways: [GuardedGateway, SecondSecureGateway],
      guards: [SessionGuard],
    });
    try {
      const client = await t.connect('/secure', { auth: { token: 'bob' } });
      expect(t.get(SessionGuard).seen).toEqual(['connection']);
      await expect(client.emitWithAck('second')).resolves.toBe('second');
      expect(t.get(SessionGuard).seen).toEqual(['connection', 'message']);
    } finally {
      await t.close();
    }
  });
});

describe('app-wide guards', () => {
  it('apply to every gateway, at connection and per message', async () => {
    const seen: string[] = [];
    const t = await createTestingApp({
      gateways: [EchoGateway],
      guards: [
        { canActivate: (ctx) => (seen.push(`${ctx.type}:${ctx.event}`), ctx.data !== 'blocked') },
        asyncDenyGuard,
      ],
    });
    try {
      const client = await t.connect();
      await expect(client.emitWithAck('echo', 'ok')).resolves.toBe('ok');
      await expect(client.emitWithAck('echo', 'blocked')).resolves.toMatchObject({
        error: { code: WS_ERROR_CODES.FORBIDDEN },
      });
      expect(seen).toEqual(['connection:null', 'message:echo', 'message:echo']);
    } finally {
      await t.close();
    }
  });
});

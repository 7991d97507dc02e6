import { SubscribeMessage, WebSocketGateway } from '../../src';
import { MAX_HELD_MESSAGES } from '../../src/framework/connections';
import { createTestingApp, waitFor, type TestingApp } from '../../src/testing';
import {
  LifecycleGateway,
  SecondLifeGateway,
  TeamGateway,
} from '../fixtures/gateways/lifecycle.gateway';

describe('lifecycle, shared and dynamic namespaces', () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({
      gateways: [LifecycleGateway, SecondLifeGateway, TeamGateway],
      replies: 'wiregate', // room:say returns nothing and the test awaits its ack
    });
  });

  afterEach(async () => {
    await t.close();
  });

  it('holds messages that arrive during async setup and dispatches them in order afterwards', async () => {
    const client = t.connect('/life');
    const socket = await client;
    // Sent immediately after connect, while handleConnection is still awaiting.
    const replies = await Promise.all([1, 2, 3].map((n) => socket.emitWithAck('seq', n)));
    expect(replies).toEqual([1, 2, 3].map((n) => ({ n, ready: true })));
    expect(t.get(LifecycleGateway).events).toEqual([
      'connection:start',
      'connection:end',
      'seq:1',
      'seq:2',
      'seq:3',
    ]);
  });

  it('calls handleDisconnect with the reason', async () => {
    const socket = await t.connect('/life');
    await socket.emitWithAck('seq', 0);
    const gateway = t.get(LifecycleGateway);
    const server = t.app.server.of('/life');
    const gone = waitFor([...server.sockets.values()][0], 'disconnect');
    socket.disconnect();
    await gone;
    expect(gateway.disconnects).toEqual(['client namespace disconnect']);
  });

  it('auto-joins the rooms of every gateway sharing the namespace', async () => {
    const socket = await t.connect('/life', { auth: { name: 'ann' } });
    await expect(socket.emitWithAck('rooms')).resolves.toEqual(['lobby', 'user:ann']);
    await expect(socket.emitWithAck('second')).resolves.toBe('second gateway');
  });

  it('joins before the handler and leaves before the handler; broadcasts reach the room', async () => {
    const [a, b] = await Promise.all([t.connect('/life'), t.connect('/life')]);
    await expect(a.emitWithAck('room:join', { roomId: 'blue' })).resolves.toBe(true);
    const said = waitFor(a, 'said');
    let bHeard = false;
    b.on('said', () => (bHeard = true));
    await b.emitWithAck('room:say', { roomId: 'blue', text: 'hi' });
    await expect(said).resolves.toBe('hi');
    await expect(a.emitWithAck('room:leave', { roomId: 'blue' })).resolves.toBe(false);
    await expect(a.emitWithAck('rooms')).resolves.toEqual(['lobby', 'user:anon']);
    expect(bHeard).toBe(false);
  });

  it('does not join when validation fails', async () => {
    const a = await t.connect('/life');
    await expect(a.emitWithAck('room:join', { roomId: 'NOT VALID' })).resolves.toMatchObject({
      error: { code: 'WG_ERR_VALIDATION' },
    });
    await expect(a.emitWithAck('rooms')).resolves.toEqual(['lobby', 'user:anon']);
  });

  it('serves dynamic namespaces matched by a RegExp', async () => {
    const socket = await t.connect('/team-42');
    await expect(socket.emitWithAck('team')).resolves.toBe('/team-42');
    const err = await t.connectError('/team-x');
    expect(err.message).toBe('Invalid namespace');
  });
});

@WebSocketGateway({ namespace: '/fragile' })
class FailingSetupGateway {
  /** Released by the test once it listens for the disconnect. */
  static proceed: Promise<void> = Promise.resolve();

  async handleConnection(): Promise<void> {
    await FailingSetupGateway.proceed;
    throw new Error('profile service down');
  }

  @SubscribeMessage('never-runs')
  neverRuns(): string {
    throw new Error('must not run: the socket was refused after connect');
  }
}

describe('a failing handleConnection', () => {
  it('answers with the exception event, logs the error, drops held messages and disconnects the socket', async () => {
    const errors: unknown[][] = [];
    const t = await createTestingApp({
      gateways: [FailingSetupGateway],
      logger: { log: () => undefined, error: (...a: unknown[]) => errors.push(a) },
    });
    try {
      let release!: () => void;
      FailingSetupGateway.proceed = new Promise((resolve) => (release = resolve));
      const client = await t.connect('/fragile');
      const reason = waitFor(client, 'disconnect');
      const serverSocket = [...t.app.server.of('/fragile').sockets.values()][0];
      const arrived = waitFor(serverSocket, 'never-runs');
      client.emit('never-runs', (reply: unknown) => errors.push(['unexpected ack', reply]));
      await arrived; // held by the framework while handleConnection is pending
      const exception = waitFor(client, 'exception');
      release();
      await expect(exception).resolves.toEqual({
        error: { code: 'WG_ERR_INTERNAL', message: 'Internal server error' },
      });
      await expect(reason).resolves.toBe('io server disconnect');
      expect(errors).toHaveLength(1);
      expect(String(errors[0][0])).toMatch(/unhandled error in FailingSetupGateway \(connection\)/);
      expect(errors[0][1]).toEqual(new Error('profile service down'));
    } finally {
      await t.close();
    }
  });
});

@WebSocketGateway({ namespace: '/stuck' })
class StuckSetupGateway {
  handleConnection(): Promise<void> {
    return new Promise(() => undefined); // never settles
  }

  @SubscribeMessage('flood')
  flood(): void {}
}

describe('held messages', () => {
  it('are bounded: a socket that floods a pending setup is disconnected', async () => {
    const errors: unknown[][] = [];
    const t = await createTestingApp({
      gateways: [StuckSetupGateway],
      logger: { log: () => undefined, error: (...a: unknown[]) => errors.push(a) },
    });
    try {
      const client = await t.connect('/stuck');
      const reason = waitFor(client, 'disconnect');
      for (let i = 0; i <= MAX_HELD_MESSAGES; i++) client.emit('flood', i);
      await expect(reason).resolves.toBe('io server disconnect');
      expect(String(errors[0][0])).toMatch(
        /more than 256 messages before its connection setup finished/,
      );
    } finally {
      await t.close();
    }
  });
});

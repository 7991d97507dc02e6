// NestJS's lifecycle hooks, called in NestJS's order on start and on close, asserted on
// NestJS and on wiregate; and a throwing handleConnection.
import { io } from 'socket.io-client';
import { createTestingApp, waitFor } from '../../src/testing';
import { createApp, WebSocketGateway } from '../../src';
import { LIFECYCLE_LOG, LifeModule } from './gateways/lifecycle.gateway';
import { startNestApp } from './support/nest-app';

const FILE = require.resolve('./gateways/lifecycle.gateway');

describe('NestJS lifecycle hooks, on NestJS and on wiregate', () => {
  it('calls every hook on providers, gateways and modules, in NestJS order', async () => {
    LIFECYCLE_LOG.length = 0;
    const nest = await startNestApp(FILE, 'LifeModule');
    const t = await createTestingApp({ modules: [LifeModule] });
    let nestAtStart: unknown;
    let oursAtStart: unknown;
    try {
      nestAtStart = await (await nest.connect('/life')).timeout(5000).emitWithAck('log');
      oursAtStart = await (await t.connect('/life')).timeout(5000).emitWithAck('log');
    } finally {
      await Promise.all([nest.close(), t.close()]);
    }
    expect(nestAtStart).toEqual([
      'LifeGateway.afterInit',
      'StoreService.onModuleInit',
      'CoreModule.onModuleInit',
      'LifeGateway.onModuleInit',
      'LifeModule.onModuleInit',
      'StoreService.onApplicationBootstrap',
      'CoreModule.onApplicationBootstrap',
      'LifeGateway.onApplicationBootstrap',
      'LifeModule.onApplicationBootstrap',
      'store: true',
    ]);
    expect(oursAtStart).toEqual(nestAtStart);

    const nestLog = (
      JSON.parse(/\{"log":.*\}/.exec(nest.output())?.[0] ?? '{}') as { log?: string[] }
    ).log;
    // Modules in reverse, each module's members in order, its class last.
    expect(nestLog?.slice(9)).toEqual([
      'LifeGateway.onModuleDestroy',
      'LifeModule.onModuleDestroy',
      'StoreService.onModuleDestroy',
      'CoreModule.onModuleDestroy',
      'LifeGateway.beforeApplicationShutdown(SIGTERM)',
      'LifeModule.beforeApplicationShutdown(SIGTERM)',
      'StoreService.beforeApplicationShutdown(SIGTERM)',
      'CoreModule.beforeApplicationShutdown(SIGTERM)',
      'LifeGateway.onApplicationShutdown(SIGTERM)',
      'LifeModule.onApplicationShutdown(SIGTERM)',
      'StoreService.onApplicationShutdown(SIGTERM)',
      'CoreModule.onApplicationShutdown(SIGTERM)',
    ]);
    // testing's close() passes no signal; the order is what is compared.
    expect(LIFECYCLE_LOG.slice(9)).toEqual(
      nestLog?.slice(9).map((line) => line.replace('SIGTERM', 'undefined')),
    );
  });

  it('answers a WsException thrown in handleConnection with the exception event, then disconnects', async () => {
    const t = await createTestingApp({ modules: [LifeModule] });
    try {
      // Listeners before connecting: both events may arrive with the connection itself.
      const client = io(t.url('/life'), {
        auth: { reject: true },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      const exception = waitFor(client, 'exception');
      const reason = waitFor(client, 'disconnect');
      await expect(exception).resolves.toEqual({
        error: { code: 'WG_ERR_WS_EXCEPTION', message: 'Not welcome' },
      });
      await expect(reason).resolves.toBe('io server disconnect');
      client.close();
    } finally {
      await t.close();
    }
  });
});

@WebSocketGateway({ namespace: 'broken-init' })
class BrokenInitGateway {
  async onModuleInit(): Promise<void> {
    throw new Error('config missing');
  }
}

@WebSocketGateway({ namespace: 'broken-close' })
class BrokenCloseGateway {
  static closedAfterFailure = false;
  onModuleDestroy(): void {
    throw new Error('flush failed');
  }
  onApplicationShutdown(): void {
    BrokenCloseGateway.closedAfterFailure = true;
  }
}

describe('failing lifecycle hooks', () => {
  it('fail createApp from onModuleInit, naming the hook', async () => {
    await expect(createApp({ gateways: [BrokenInitGateway] })).rejects.toThrow(
      /BrokenInitGateway\.onModuleInit failed\nReason: config missing/,
    );
  });

  it('are logged on close, and the app still closes', async () => {
    const errors: unknown[][] = [];
    const app = await createApp({
      gateways: [BrokenCloseGateway],
      logger: { log: () => undefined, error: (...a: unknown[]) => errors.push(a) },
    });
    await app.listen(0);
    await app.close();
    expect(String(errors[0]?.[0])).toContain('BrokenCloseGateway.onModuleDestroy failed');
    expect(BrokenCloseGateway.closedAfterFailure).toBe(true);
    expect(app.server.httpServer?.listening).toBe(false);
  });
});

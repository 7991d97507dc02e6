/**
 * The running app `createApp` resolves to: listening, lifecycle hooks on close, and
 * container access.
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Server } from '../server';
import { callShutdownHook } from './app-hooks';
import type { Connections } from './connections';
import { registerSingletons } from './container';
import type { App } from './create-app';
import type { Type } from './interfaces/types';
import type { Logger } from './pipeline/exceptions';

/** The `App` implementation; `hooked` is filled by `createApp` once start-up hooks may run. */
export class WiregateApp implements App {
  /** Instances with lifecycle hooks, by module, in start-up order. */
  hooked: object[][] = [];
  private closing: Promise<void> | null = null;
  readonly server: Server;

  constructor(
    readonly servers: ReadonlyMap<number, Server>,
    readonly container: DependencyContainer,
    private readonly httpServer: HttpServer | null,
    private readonly connections: Connections,
    private readonly logger: Logger,
  ) {
    this.server = servers.get(0) as Server;
  }

  async listen(port = 0): Promise<number> {
    let http = this.httpServer ?? this.server.httpServer;
    if (http === null) http = this.server.listen(port).httpServer as HttpServer;
    else if (!http.listening) http.listen(port);
    if (!http.listening) await onceListening(http);
    const address = http.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  close(signal?: string): Promise<void> {
    // A second close (a signal during close, say) waits for the first.
    return (this.closing ??= this.shutdown(signal));
  }

  enableShutdownHooks(signals: string[] = ['SIGTERM', 'SIGINT', 'SIGHUP']): this {
    for (const signal of signals) {
      const onSignal = (): void => {
        for (const s of signals) process.removeListener(s, onSignal);
        void this.close(signal).finally(() => process.kill(process.pid, signal));
      };
      process.once(signal, onSignal);
    }
    return this;
  }

  private async shutdown(signal: string | undefined): Promise<void> {
    const order = [...this.hooked].reverse().flat();
    await callShutdownHook(order, 'onModuleDestroy', signal, this.logger);
    await callShutdownHook(order, 'beforeApplicationShutdown', signal, this.logger);
    await this.dispose();
    await callShutdownHook(order, 'onApplicationShutdown', signal, this.logger);
  }

  private async dispose(): Promise<void> {
    try {
      await Promise.all(
        [...this.servers.values()].map((server) => server.close().catch(ignoreNotRunning)),
      );
    } finally {
      // Disconnecting clears each socket's handler timers; clear any left, whatever happened.
      this.connections.inFlight.clearAll();
    }
    await this.container.dispose();
  }

  get<T>(token: InjectionToken<T>): T {
    // An unregistered class would be built anew on every call (tsyringe's default):
    // register it as the app's singleton first, as NestJS's app.get() returns one instance.
    if (typeof token === 'function' && !this.container.isRegistered(token, true))
      registerSingletons(this.container, token as Type);
    return this.container.resolve(token);
  }
}

function onceListening(http: HttpServer): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', reject);
  });
}

/** Closing an app that never listened is fine. */
function ignoreNotRunning(err: unknown): void {
  if ((err as { code?: string })?.code === 'ERR_SERVER_NOT_RUNNING') return;
  throw err;
}

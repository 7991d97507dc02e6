/**
 * `createTestingApp`: an app on a free port plus official socket.io-client clients,
 * all closed by one `close()`.
 * @module
 */
import {
  io,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from 'socket.io-client';
import type { InjectionToken } from 'tsyringe';
import { createApp, type App, type AppOptions } from '../framework';

/** Options of a test client (socket.io-client's). */
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** Defaults that keep tests fast and deterministic: no reconnection, a fresh connection each time. */
const CLIENT_DEFAULTS: ClientOptions = {
  forceNew: true,
  reconnection: false,
  transports: ['websocket'],
};

/** An app listening on a free port, with helpers to connect clients to it. */
export interface TestingApp {
  readonly app: App;
  readonly port: number;
  /** `http://localhost:<port><namespace>` */
  url(namespace?: string): string;
  /** Connects a client; resolves once connected, rejects with the `connect_error` error. */
  connect(namespace?: string, options?: ClientOptions): Promise<ClientSocket>;
  /** Connects a client that is expected to be refused; resolves with the `connect_error` error. */
  connectError(namespace?: string, options?: ClientOptions): Promise<Error & { data?: unknown }>;
  /** Resolves a token from the app container. */
  get<T>(token: InjectionToken<T>): T;
  /** Disconnects every client it created and closes the app. */
  close(): Promise<void>;
}

/**
 * Starts `createApp(options)` on a free port.
 *
 * @example
 * const t = await createTestingApp({ gateways: [ChatGateway] });
 * const client = await t.connect('/chat');
 * expect(await client.emitWithAck('ping')).toBe('pong');
 * await t.close();
 */
export async function createTestingApp(options: AppOptions): Promise<TestingApp> {
  const app = await createApp(options);
  const port = await app.listen(0);
  return new TestingAppImpl(app, port);
}

class TestingAppImpl implements TestingApp {
  private readonly clients = new Set<ClientSocket>();

  constructor(
    readonly app: App,
    readonly port: number,
  ) {}

  url(namespace = '/'): string {
    return `http://localhost:${this.port}${namespace.startsWith('/') ? namespace : `/${namespace}`}`;
  }

  connect(namespace = '/', options: ClientOptions = {}): Promise<ClientSocket> {
    const socket = this.open(namespace, options);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('connect_error', reject);
        resolve(socket);
      });
      socket.once('connect_error', reject);
    });
  }

  connectError(namespace = '/', options: ClientOptions = {}): Promise<Error & { data?: unknown }> {
    const socket = this.open(namespace, options);
    return new Promise((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () =>
        reject(new Error(`connectError: ${namespace} accepted the connection`)),
      );
    });
  }

  get<T>(token: InjectionToken<T>): T {
    return this.app.get(token);
  }

  async close(): Promise<void> {
    for (const socket of this.clients) socket.disconnect();
    this.clients.clear();
    await this.app.close();
  }

  private open(namespace: string, options: ClientOptions): ClientSocket {
    const socket = io(this.url(namespace), { ...CLIENT_DEFAULTS, ...options });
    this.clients.add(socket);
    return socket;
  }
}

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
import type { EngineSession } from '../server';
import { createApp, type App, type AppOptions } from '../framework';

/** Options of a test client (socket.io-client's). */
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** Defaults that keep tests fast and deterministic: no reconnection, a fresh connection each time. */
const CLIENT_DEFAULTS: ClientOptions = {
  forceNew: true,
  reconnection: false,
  transports: ['websocket'],
};

/**
 * Longest wait in `close()` for clients to finish their closing handshake before the app
 * closes anyway (a polling client sends its close packet in a request of its own).
 */
const CLIENT_CLOSE_GRACE_MS = 1000;

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
  /**
   * Disconnects every client it created, waits (up to a second) until their connections
   * are closed at both ends, then closes the app. No request of a polling client is left
   * running after it resolves.
   */
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
  /** Server-side Engine.IO sessions still open. */
  private readonly sessions = new Set<EngineSession>();

  constructor(
    readonly app: App,
    readonly port: number,
  ) {
    app.server.engine.on('connection', (session: EngineSession) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
  }

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
    const clients = [...this.clients];
    this.clients.clear();
    // Subscribed before disconnecting: a polling client's engine may close only once its
    // last write (the disconnect packet) has drained.
    const enginesClosed = clients.map((c) => untilClosed(c.io.engine));
    for (const socket of clients) {
      socket.disconnect();
      // Also ends managers kept open by other sockets of the same manager.
      socket.io.engine?.close();
    }
    // The server must see each client's close packet (its session closes) before it shuts
    // down, or the polling request carrying it outlives the test.
    const sessionsClosed = [...this.sessions].map((s) => untilClosed(s));
    await withDeadline(CLIENT_CLOSE_GRACE_MS, Promise.all([...enginesClosed, ...sessionsClosed]));
    await this.app.close();
  }

  private open(namespace: string, options: ClientOptions): ClientSocket {
    const socket = io(this.url(namespace), { ...CLIENT_DEFAULTS, ...options });
    this.clients.add(socket);
    return socket;
  }
}

/** Anything that reports `readyState` and emits `close` once (client engines, server sessions). */
interface Closable {
  readonly readyState: string;
  once(event: 'close', fn: () => void): unknown;
}

/** Resolves once `target` is closed (at once if it already is, or if there is none). */
function untilClosed(target: Closable | undefined): Promise<void> {
  if (target === undefined || target.readyState === 'closed') return Promise.resolve();
  return new Promise((resolve) => target.once('close', () => resolve()));
}

/** Waits for `p`, or `ms` at most; the timer never outlives the wait. */
async function withDeadline(ms: number, p: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

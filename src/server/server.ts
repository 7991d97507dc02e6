/**
 * `Server`: the socket.io-compatible entry point (docs/internals/server-semantics.md, "Attaching to an HTTP server" to "Utility methods").
 * @module
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { EngineServer, type EngineSession } from '../engine';
import { WiregateError } from '../shared/errors';
import type { AdapterConstructor, Room, SocketId } from './adapter/adapter';
import { InMemoryAdapter } from './adapter/in-memory-adapter';
import {
  encodePacket,
  encodeWith,
  type Packet,
  type ParserEncoder,
  type ParserModule,
} from '../protocol';
import type { BroadcastOperator } from './broadcast-operator';
import { Connection, type ConnectionSettings } from './connection';
import { ConnectionV3 } from './connection-v3';
import { CustomParserConnection, ParserFailureLog } from './custom-parser-connection';
import { Namespace, type NamespaceMiddleware } from './namespace';
import type { ServerOptions } from './options';
import { normalizeRecoveryOptions, type RecoveryOptions } from './recovery/options';
import { SessionAwareAdapter } from './recovery/session-aware-adapter';
import { ParentNamespace, type NamespaceMatcher } from './parent-namespace';
import type { RemoteSocket } from './remote-socket';
import { ServerEmitter } from './server-emitter';
import type { Socket } from './socket';
import type {
  AllButLast,
  BroadcastAckParams,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  FirstArg,
  Last,
} from './typed-events';

type AnySocket = Socket<EventsMap, EventsMap, EventsMap, unknown>;

/**
 * The realtime server. Attach it to an HTTP server (sharing its port) or give it a port.
 *
 * @example
 * const httpServer = http.createServer(app);
 * const io = new Server(httpServer, { cors: { origin: 'https://example.com' } });
 * io.on('connection', (socket) => socket.emit('welcome', socket.id));
 * httpServer.listen(3000);
 */
export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> extends ServerEmitter<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  /** The main namespace, `/`. */
  override readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** The Engine.IO server (`io.engine`). */
  engine!: EngineServer;
  /** The HTTP server this server is attached to. */
  httpServer: HttpServer | null = null;
  /** @internal */
  readonly nsps = new Map<
    string,
    Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  private readonly parentNsps = new Map<
    NamespaceMatcher,
    ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  /**
   * The options given to the constructor and `attach` (socket.io's `io.opts`; adapters built on
   * socket.io-adapter read `connectionStateRecovery` from it).
   */
  readonly opts: ServerOptions;
  /**
   * The packet encoder, as socket.io exposes it: adapters built on socket.io-adapter encode a
   * broadcast once with it, then hand the parts to each socket's `client.writeToEngine`. With
   * the `parser` option, the custom parser's Encoder instance.
   */
  readonly encoder: PacketEncoder = SHARED_ENCODER;
  /**
   * @internal How the in-memory adapter encodes a broadcast (once for every recipient) when a
   * custom `parser` is set; null with the default codec, whose encoder it calls directly.
   */
  readonly customEncode: ((packet: Packet) => (string | Buffer)[]) | null = null;
  /** The custom `parser` option and its one Encoder; null for the default codec. */
  private readonly parser: {
    module: ParserModule;
    encoder: ParserEncoder;
    failures: ParserFailureLog;
  } | null = null;
  /**
   * @internal `connectionStateRecovery` with its defaults filled in; null when it is off (the
   * usual case: nothing is stored and no offset is added).
   */
  readonly recovery: RecoveryOptions | null = null;
  private adapterClass: AdapterConstructor = InMemoryAdapter;
  private ownsHttpServer = false;
  /** When the last adapter failure was written as a warning (they are rate-limited). */
  private lastAdapterWarning = 0;
  private suppressedAdapterWarnings = 0;

  constructor(opts?: ServerOptions);
  constructor(srv: HttpServer | number | string | undefined, opts?: ServerOptions);
  constructor(srv?: HttpServer | number | string | ServerOptions, opts: ServerOptions = {}) {
    super();
    if (typeof srv === 'object' && srv !== null && !isHttpServer(srv)) {
      opts = srv;
      srv = undefined;
    }
    this.opts = { ...opts, path: (opts.path ?? '/socket.io').replace(/\/$/, '') };
    if (opts.adapter) this.adapterClass = opts.adapter;
    if (opts.parser) {
      // Before the main namespace exists: its adapter reads `customEncode` once.
      const parser = opts.parser;
      const encoder = new parser.Encoder();
      this.parser = { module: parser, encoder, failures: new ParserFailureLog() };
      this.encoder = encoder as unknown as PacketEncoder;
      this.customEncode = (packet) => encodeWith(encoder, packet);
    }
    if (opts.connectionStateRecovery) {
      // Read once, here: namespaces, sockets and the adapter take it at construction.
      const recovery = normalizeRecoveryOptions(opts.connectionStateRecovery);
      this.recovery = recovery;
      this.opts.connectionStateRecovery = recovery;
      // socket.io's choice: without an adapter of one's own, the default keeps sessions.
      if (!opts.adapter) this.adapterClass = SessionAwareAdapter;
    }
    this.sockets = this.of('/');
    if (srv !== undefined) this.attach(srv as HttpServer | number | string);
  }

  /** Attaches to an HTTP server, or creates one listening on `port`. */
  attach(srv: HttpServer | number | string, opts: ServerOptions = {}): this {
    if (typeof srv === 'function') {
      throw new WiregateError(
        'WG_ERR_INVALID_ARGUMENT',
        'You are trying to attach wiregate to an express request handler function. Please pass a http.Server instance.',
      );
    }
    Object.assign(this.opts, opts);
    if (opts.path !== undefined) this.opts.path = opts.path.replace(/\/$/, '');
    if (typeof srv === 'number' || typeof srv === 'string') {
      const server = createServer((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      server.listen(Number(srv));
      this.ownsHttpServer = true;
      srv = server;
    }
    this.initEngine(srv);
    return this;
  }

  /** Alias of `attach`. */
  listen(srv: HttpServer | number | string, opts: ServerOptions = {}): this {
    return this.attach(srv, opts);
  }

  /** Binds to an engine you built yourself. */
  bind(engine: EngineServer): this {
    this.engine = engine;
    engine.on('connection', (session: EngineSession) => this.onSession(session));
    return this;
  }

  /**
   * Returns the namespace `name`, creating it on first use; a RegExp or function declares
   * dynamic namespaces (children created on demand).
   * @example io.of('/orders').on('connection', (socket) => socket.emit('hello'));
   * @example io.of(/^\/team-\d+$/).on('connection', (socket) => socket.emit('team', socket.nsp.name));
   */
  of(
    name: string | RegExp | NamespaceMatcher,
    fn?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === 'function' || name instanceof RegExp) {
      const matcher: NamespaceMatcher =
        typeof name === 'function'
          ? name
          : (nsp, _auth, next) => next(null, (name as RegExp).test(nsp));
      const parent = new ParentNamespace(this, matcher);
      this.parentNsps.set(matcher, parent);
      if (fn) parent.on('connection', fn);
      return parent;
    }
    if (name.charAt(0) !== '/') name = '/' + name;
    let nsp = this.nsps.get(name);
    if (!nsp) {
      nsp = new Namespace(this, name);
      this.nsps.set(name, nsp);
      if (name !== '/') super.emit('new_namespace', nsp);
    }
    if (fn) nsp.on('connection', fn);
    return nsp;
  }

  /** @internal The namespaces by name, under socket.io's name (the admin UI and adapters read it). */
  get _nsps(): Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.nsps;
  }

  /**
   * Gets or sets the adapter (applies to every namespace): a class or a factory function, ours
   * (`wiregate/redis`) or any built on socket.io-adapter.
   * @example io.adapter(createAdapter()); // @socket.io/cluster-adapter
   */
  adapter(): AdapterConstructor;
  adapter(v: AdapterConstructor): this;
  adapter(v?: AdapterConstructor): AdapterConstructor | this {
    if (v === undefined) return this.adapterClass;
    this.adapterClass = v;
    for (const nsp of this.nsps.values()) nsp.initAdapter();
    return this;
  }

  /** Gets or sets the endpoint path. */
  path(): string;
  path(v: string): this;
  path(v?: string): string | this {
    if (v === undefined) return this.opts.path!;
    this.opts.path = v.replace(/\/$/, '');
    return this;
  }

  /** Gets or sets `connectTimeout`. */
  connectTimeout(): number;
  connectTimeout(v: number): this;
  connectTimeout(v?: number): number | this {
    if (v === undefined) return this.opts.connectTimeout ?? 45000;
    this.opts.connectTimeout = v;
    return this;
  }

  /** Gets or sets `serveClient`. */
  serveClient(): boolean;
  serveClient(v: boolean): this;
  serveClient(v?: boolean): boolean | this {
    if (v === undefined) return this.opts.serveClient ?? true;
    this.opts.serveClient = v;
    // The engine reads the flag per request; keep an already attached one in step.
    if (this.engine) this.engine.opts.serveClient = v;
    return this;
  }

  /**
   * Adds a connection middleware to the main namespace.
   * @example io.use((socket, next) => (socket.handshake.auth.token ? next() : next(new Error('unauthorized'))));
   */
  use(
    fn: NamespaceMiddleware<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>,
  ): this {
    this.sockets.use(fn);
    return this;
  }

  /** Selects sockets of the main namespace in a room. */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.to(room);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.in(room);
  }

  /** Selects every socket of the main namespace except those in the rooms. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.except(room);
  }

  /**
   * Emits to every socket of the main namespace.
   * @throws WiregateError `WG_ERR_RESERVED_EVENT` for reserved names.
   */
  override emit<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: BroadcastAckParams<EventParams<EmitEvents, Ev>>
  ): boolean {
    return this.sockets.emit(ev, ...args);
  }

  /** Emits to the main namespace and resolves with every reply. */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>[]> {
    return this.sockets.emitWithAck(ev, ...args);
  }

  /** Sends a `message` event to the main namespace. */
  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  /** Alias of `send`. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /** Compression flag of a broadcast. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.compress(compress);
  }

  /** A broadcast that may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.volatile;
  }

  /** A broadcast on this server only. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.local;
  }

  /** A broadcast whose ack times out after `ms`. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.timeout(ms);
  }

  /** Every socket of the main namespace, from every server. */
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.sockets.fetchSockets();
  }

  /** Every socket of the main namespace joins the rooms. */
  socketsJoin(room: Room | Room[]): Promise<void> {
    return this.sockets.socketsJoin(room);
  }

  /** Every socket of the main namespace leaves the rooms. */
  socketsLeave(room: Room | Room[]): Promise<void> {
    return this.sockets.socketsLeave(room);
  }

  /** Every socket of the main namespace is disconnected. */
  disconnectSockets(close = false): Promise<void> {
    return this.sockets.disconnectSockets(close);
  }

  /** Ids of the sockets of the main namespace. */
  allSockets(): Promise<Set<SocketId>> {
    return this.sockets.allSockets();
  }

  /** Emits an event to the other servers of the cluster. */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: EventParams<ServerSideEvents, Ev>
  ): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }

  /** Emits to the other servers and resolves with their replies. */
  serverSideEmitWithAck<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: unknown[]
  ): Promise<unknown[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }

  /**
   * Disconnects every client (`server shutting down`), closes the engine and the HTTP
   * server. Resolves when done; `fn` gets `ERR_SERVER_NOT_RUNNING` if the HTTP server was not listening.
   * @example process.on('SIGTERM', () => void io.close().then(() => process.exit(0)));
   */
  async close(fn?: (err?: Error) => void): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const nsp of this.nsps.values()) {
      for (const socket of [...nsp.sockets.values()]) socket.onClose('server shutting down');
      nsp.failBroadcastAcks('server shutting down');
      closing.push(closeAdapter(nsp.adapter));
    }
    // Cluster adapters each wait for their departure notice: close them side by side.
    await Promise.all(closing);
    this.engine?.close();
    const http = this.httpServer;
    if (!http) {
      fn?.();
      return;
    }
    await new Promise<void>((resolve) => {
      http.close((err) => {
        fn?.(err);
        resolve();
      });
      http.closeIdleConnections?.();
    });
  }

  /** @internal Resolves a namespace for a CONNECT: static, then dynamic matchers in creation order. */
  resolveNamespace(
    name: string,
    auth: Record<string, unknown>,
    done: (nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | null) => void,
  ): void {
    const existing = this.nsps.get(name);
    if (existing) return done(existing);
    const parents = [...this.parentNsps.entries()];
    const tryNext = (index: number): void => {
      const entry = parents[index];
      if (!entry) return done(null);
      const [matcher, parent] = entry;
      let answered = false;
      const next = (err: Error | null, allowed: boolean) => {
        if (answered) return;
        answered = true;
        if (err || !allowed) return tryNext(index + 1);
        // Another CONNECT may have created it while the matcher ran.
        const created = this.nsps.get(name) ?? parent.createChild(name);
        done(created);
      };
      try {
        matcher(name, auth, next);
      } catch {
        next(null, false);
      }
    };
    tryNext(0);
  }

  /** @internal Registers a child namespace created by a parent. */
  registerChild(nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.nsps.set(nsp.name, nsp);
    super.emit('new_namespace', nsp);
  }

  /** @internal */
  get options(): Readonly<ServerOptions> {
    return this.opts;
  }

  /**
   * @internal Adapter failures nobody awaits are reported, never thrown into the void: to
   * `adapter_error` listeners, or else as a process warning (at most one a second, so that an
   * adapter failing on every broadcast cannot flood the log).
   */
  reportAdapterError(nsp: string, err: unknown): void {
    if (this.listenerCount('adapter_error') > 0) {
      super.emit('adapter_error', { nsp, err });
      return;
    }
    const now = Date.now();
    if (now - this.lastAdapterWarning < ADAPTER_WARNING_INTERVAL) {
      this.suppressedAdapterWarnings++;
      return;
    }
    const suppressed = this.suppressedAdapterWarnings;
    this.lastAdapterWarning = now;
    this.suppressedAdapterWarnings = 0;
    const message = err instanceof Error ? err.message : String(err);
    const more = suppressed > 0 ? ` (${suppressed} more since the last warning)` : '';
    process.emitWarning(`adapter of namespace "${nsp}" failed: ${message}${more}`, {
      type: 'WiregateAdapterError',
      detail: 'Listen to io.on("adapter_error", ({ nsp, err }) => …) to handle these yourself.',
    });
  }

  private initEngine(srv: HttpServer): void {
    // socket.io serves its client bundle by default; a bare engine does not.
    this.engine = new EngineServer({
      ...this.opts,
      path: this.opts.path,
      serveClient: this.opts.serveClient ?? true,
    });
    this.bind(this.engine);
    this.engine.attach(srv);
    this.httpServer = srv;
  }

  private onSession(session: EngineSession): void {
    const server = this as unknown as Server;
    const settings: ConnectionSettings = {
      connectTimeout: this.opts.connectTimeout ?? 45000,
      maxAttachments: this.opts.maxAttachments ?? 10,
      maxHttpBufferSize: this.opts.maxHttpBufferSize ?? 1e6,
    };
    // The kind of connection is chosen once per session (connection.ts has no branch for either).
    if (session.protocol === 3) new ConnectionV3(server, session, settings);
    else if (this.parser !== null)
      new CustomParserConnection(
        server,
        session,
        settings,
        this.parser.module,
        this.parser.encoder,
        this.parser.failures,
      );
    else new Connection(server, session, settings);
  }
}

/** socket.io's `io.encoder`: `encode(packet)` gives the text part then the binary attachments. */
export interface PacketEncoder {
  encode(packet: Packet): (string | Buffer)[];
}

const SHARED_ENCODER: PacketEncoder = {
  encode: (packet) => encodePacket(packet) as unknown as (string | Buffer)[],
};

/** ms between two warnings about adapter failures when nobody listens to `adapter_error`. */
const ADAPTER_WARNING_INTERVAL = 1000;

/** Closes an adapter; a failing close is reported as a warning, never thrown out of `io.close()`. */
async function closeAdapter(adapter: InMemoryAdapter): Promise<void> {
  try {
    await adapter.close();
  } catch (err) {
    process.emitWarning(
      `wiregate: adapter close failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function isHttpServer(value: object): value is HttpServer {
  return typeof (value as HttpServer).listen === 'function';
}

export type { AnySocket };

/**
 * `Namespace`: a channel of the server with its own sockets, middleware, rooms and
 * `connection` event (docs/internals/server-semantics.md, "Namespaces" and "Connection middlewares").
 * @module
 */
import { EventEmitter } from 'node:events';
import { WiregateError } from '../shared/errors';
import type { Room, SocketId } from './adapter/adapter';
import type { InMemoryAdapter } from './adapter/in-memory-adapter';
import { instantiateAdapter, reportRejection } from './adapter/adapter-calls';
import { BroadcastOperator, type PendingBroadcastAck } from './broadcast-operator';
import type { Connection } from './connection';
import type { RemoteSocket } from './remote-socket';
import type { Server } from './server';
import { Socket } from './socket';
import type { RecoveryOptions } from './recovery/options';
import { restoreAndAdd } from './recovery/restore';
import { recoveryAttemptOf, type RestoredSession } from './recovery/session';
import {
  TypedEmitter,
  type AllButLast,
  type BroadcastAckParams,
  type FirstArg,
  type Last,
  type DefaultEventsMap,
  type EventNames,
  type EventParams,
  type EventsMap,
} from './typed-events';

/** An error a middleware passes to `next` to refuse a connection; `data` reaches the client. */
export interface ExtendedError extends Error {
  data?: unknown;
}

/** A connection middleware: `(socket, next)`. */
export type NamespaceMiddleware<Sock> = (socket: Sock, next: (err?: ExtendedError) => void) => void;

/** Events a namespace emits. */
export type NamespaceReservedEvents<Sock> = {
  connection: (socket: Sock) => void;
  connect: (socket: Sock) => void;
};

/**
 * A namespace: `io.of('/orders')`.
 *
 * @example
 * const orders = io.of('/orders');
 * orders.use((socket, next) => (socket.handshake.auth.token ? next() : next(new Error('no token'))));
 * orders.on('connection', (socket) => socket.emit('hello'));
 */
export class Namespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> extends TypedEmitter<
  ServerSideEvents,
  NamespaceReservedEvents<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>
> {
  /** Connected sockets by id. */
  readonly sockets = new Map<
    SocketId,
    Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  /** The room index (and, in a cluster, the link to other servers). */
  adapter!: InMemoryAdapter;
  /** @internal */
  middlewares: NamespaceMiddleware<
    Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >[] = [];
  /** @internal Called when the last socket left (set by a parent namespace for `cleanupEmptyChildNamespaces`). */
  onEmpty: (() => void) | null = null;
  /** @internal `connectionStateRecovery` with defaults, read from the server once; null when off. */
  readonly recovery: RecoveryOptions | null;
  private ackId = 0;
  /** Broadcasts with acks under a timeout still waiting (lazy); `io.close()` fails them. */
  private pendingBroadcastAcks: Set<PendingBroadcastAck> | null = null;
  /** The operator selecting every socket: immutable, so one serves every `nsp.emit`. */
  protected all!: BroadcastOperator<EmitEvents, SocketData>;

  /** @internal */
  constructor(
    readonly server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    readonly name: string,
  ) {
    // A rejected promise from an async `connection` listener is reported on that socket.
    super({ captureRejections: true });
    this.recovery = server.recovery;
    this.initAdapter();
  }

  /** @internal Where EventEmitter routes rejections of async listeners (`captureRejections`). */
  override [EventEmitter.captureRejectionSymbol](
    err: unknown,
    _event: string,
    ...args: unknown[]
  ): void {
    const socket = args[0];
    if (socket instanceof Socket) socket.onError(err);
    else
      process.emitWarning(err instanceof Error ? err.message : String(err), {
        type: 'WiregateNamespaceError',
      });
  }

  /** @internal Builds the adapter from the server's adapter constructor. */
  initAdapter(): void {
    const AdapterClass = this.server.adapter();
    const previous = this.adapter as InMemoryAdapter | undefined;
    // A replaced cluster adapter holds subscriptions and timers: release them.
    if (previous !== undefined) void Promise.resolve().then(() => previous.close()).catch(() => undefined);
    this.adapter = instantiateAdapter(AdapterClass, this) as InMemoryAdapter;
    this.all = new BroadcastOperator<EmitEvents, SocketData>(this.adapter);
    reportRejection(this.adapter.init(), this.reportAdapterError);
  }

  /** @internal Reports a failure of this namespace's adapter that nobody awaits. */
  readonly reportAdapterError = (err: unknown): void => this.server.reportAdapterError(this.name, err);

  /**
   * Adds a connection middleware; `next(err)` refuses with `connect_error` (`err.data` included).
   * @example nsp.use((socket, next) => (socket.handshake.auth.token ? next() : next(new Error('no token'))));
   */
  use(
    fn: NamespaceMiddleware<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>,
  ): this {
    this.middlewares.push(fn);
    return this;
  }

  /**
   * Selects sockets in a room (or rooms).
   * @example io.of('/chat').to('room:42').emit('message', text);
   */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.all.to(room);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Selects every socket except those in the rooms. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.all.except(room);
  }

  /**
   * Emits to every socket of the namespace.
   * @throws WiregateError `WG_ERR_RESERVED_EVENT` for reserved names.
   */
  override emit<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: BroadcastAckParams<EventParams<EmitEvents, Ev>>
  ): boolean {
    return this.all.emit(ev, ...args);
  }

  /** Emits to every socket and resolves with every reply. */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>[]> {
    return this.all.emitWithAck(ev, ...args);
  }

  /** Sends a `message` event to every socket. */
  send(...args: unknown[]): this {
    (this.emit as (ev: string, ...rest: unknown[]) => boolean)('message', ...args);
    return this;
  }

  /** Alias of `send`. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /** Sets the compression flag of a broadcast. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.all.compress(compress);
  }

  /** A broadcast that may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.all.volatile;
  }

  /** A broadcast on this server only. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.all.local;
  }

  /** A broadcast whose ack times out after `ms`. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.all.timeout(ms);
  }

  /**
   * Every socket of the namespace, from every server.
   * @example const sockets = await io.of('/chat').fetchSockets();
   */
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.all.fetchSockets();
  }

  /**
   * Every socket of the namespace joins the rooms.
   * @example await io.of('/chat').socketsJoin('announcements');
   */
  socketsJoin(room: Room | Room[]): Promise<void> {
    return this.all.socketsJoin(room);
  }

  /** Every socket of the namespace leaves the rooms. */
  socketsLeave(room: Room | Room[]): Promise<void> {
    return this.all.socketsLeave(room);
  }

  /**
   * Every socket of the namespace is disconnected.
   * @example await io.of('/chat').disconnectSockets();
   */
  disconnectSockets(close = false): Promise<void> {
    return this.all.disconnectSockets(close);
  }

  /** Ids of every socket of the namespace. */
  allSockets(): Promise<Set<SocketId>> {
    return this.all.allSockets();
  }

  /**
   * Emits an event to the other servers of the cluster; a trailing function gets
   * `(err, replies[])`.
   * @throws WiregateError `WG_ERR_RESERVED_EVENT` for `connect`, `connection`, `new_namespace`.
   */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: EventParams<ServerSideEvents, Ev>
  ): boolean {
    if (ev === 'connect' || ev === 'connection' || ev === 'new_namespace') {
      throw new WiregateError('WG_ERR_RESERVED_EVENT', `"${String(ev)}" is a reserved event name`);
    }
    const last: unknown = args[args.length - 1];
    if (typeof last !== 'function') {
      // socket.io-adapter's cluster adapters publish asynchronously: a failure is reported.
      reportRejection(this.adapter.serverSideEmit([ev, ...args]), this.reportAdapterError);
      return true;
    }
    // With an ack, the ack hears of the failure, as a broadcast's does: an adapter that fails
    // before it stored the request (socket.io-adapter's ClusterAdapter counting the servers on
    // a lost connection) would never call it. Once, whichever of that and the adapter's own
    // timeout comes first.
    const ack = onceAck(last as ServerSideAck);
    const sent = this.adapter.serverSideEmit([ev, ...args.slice(0, -1), ack]);
    reportRejection(sent, (err) => ack(err instanceof Error ? err : new Error(String(err)), []));
    return true;
  }

  /** Emits to the other servers and resolves with their replies. */
  serverSideEmitWithAck<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: unknown[]
  ): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const ack = (err: Error | null, replies: unknown[]) => (err ? reject(err) : resolve(replies));
      (this.serverSideEmit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...args, ack);
    });
  }

  /** @internal Delivers a server-side event from another server. */
  receiveServerSideEmit(args: unknown[]): void {
    this.emitReserved(args[0] as string, ...args.slice(1));
  }

  /**
   * @internal socket.io's name for `receiveServerSideEmit`: adapters built on socket.io-adapter
   * deliver other servers' `serverSideEmit` here (with a trailing ack function when one is asked for).
   */
  _onServerSideEmit(args: unknown[]): void {
    // Called from the adapter's message handler: a throwing listener costs that event only.
    try {
      this.receiveServerSideEmit(args);
    } catch (err) {
      process.emitWarning(err instanceof Error ? err.message : String(err), {
        type: 'WiregateNamespaceError',
      });
    }
  }

  /**
   * @internal socket.io's ack id counter: adapters built on socket.io-adapter take a broadcast's ack
   * id from it (`nsp._ids++`), so it is the same counter as `nextAckId`.
   */
  get _ids(): number {
    return this.ackId;
  }

  set _ids(value: number) {
    this.ackId = value;
  }

  /** @internal A broadcast with acks armed its timeout. */
  trackBroadcastAck(pending: PendingBroadcastAck): void {
    (this.pendingBroadcastAcks ??= new Set()).add(pending);
  }

  /** @internal A broadcast with acks finished. */
  untrackBroadcastAck(pending: PendingBroadcastAck): void {
    this.pendingBroadcastAcks?.delete(pending);
  }

  /** @internal No reply can come any more (the server closes): pending broadcast acks fail now. */
  failBroadcastAcks(message: string): void {
    const pending = this.pendingBroadcastAcks;
    this.pendingBroadcastAcks = null;
    if (pending !== null) for (const p of pending) p.fail(message);
  }

  /** @internal Next ack id; one counter per namespace, shared by emits and broadcasts. */
  nextAckId(): number {
    return this.ackId++;
  }

  /**
   * @internal Runs the middlewares for a new socket, then connects it (docs/internals/wire-protocol.md, "Connecting to a namespace").
   * The connection hears of the outcome through `client.onNamespaceJoined`: the connected
   * socket, or null when it was refused or the connection closed.
   */
  add(client: Connection, auth: Record<string, unknown>): void {
    // Engine.IO v3 clients (socket.io-client 2) cannot recover: their query is never an attempt.
    const attempt =
      this.recovery === null || client.conn.protocol === 3 ? null : recoveryAttemptOf(auth);
    if (attempt !== null) return restoreAndAdd(this, client, auth, attempt);
    this.addSocket(client, auth, null);
  }

  /** @internal Creates the socket (recovered when `restored` is a session) and admits it. */
  addSocket(
    client: Connection,
    auth: Record<string, unknown>,
    restored: RestoredSession | null,
  ): void {
    const socket = new Socket(this, client, auth, restored);
    // Without middlewares (the usual case) no callback is made for the chain; a recovered
    // socket skips them unless `skipMiddlewares` is false (socket.io's rule).
    if (
      this.middlewares.length === 0 ||
      (socket.recovered && this.recovery?.skipMiddlewares === true)
    )
      return this.admit(socket, client, undefined);
    this.runMiddlewares(socket, 0, (err) => this.admit(socket, client, err));
  }

  /** Connects a socket whose middlewares ran, or refuses it (docs/internals/wire-protocol.md, "Connecting to a namespace"). */
  private admit(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    client: Connection,
    err: ExtendedError | undefined,
  ): void {
    if (client.conn.readyState !== 'open') {
      this.adapter.delAll(socket.id);
      return client.onNamespaceJoined(this.name, null);
    }
    if (err) {
      // A refused socket leaves whatever room a middleware made it join.
      this.adapter.delAll(socket.id);
      client.refuseNamespace(this.name, err);
      return client.onNamespaceJoined(this.name, null);
    }
    this.sockets.set(socket.id, socket);
    socket.onConnect();
    client.onNamespaceJoined(this.name, socket as unknown as Socket);
    // A throwing `connection` listener costs nothing but its own work: report it on the socket.
    try {
      // socket.io's order: `connect`, then `connection` (code such as the admin UI relies on it).
      this.emitReserved('connect', socket);
      this.emitReserved('connection', socket);
    } catch (error) {
      socket.onError(error);
    }
  }

  /** @internal Forgets a disconnected socket. */
  remove(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (this.sockets.delete(socket.id) && this.sockets.size === 0 && this.onEmpty !== null)
      this.onEmpty();
  }

  private runMiddlewares(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    index: number,
    done: (err?: ExtendedError) => void,
  ): void {
    const fn = this.middlewares[index];
    if (fn === undefined) return done();
    let called = false;
    const next = (err?: ExtendedError) => {
      if (called) return;
      called = true;
      if (err) return done(err);
      this.runMiddlewares(socket, index + 1, done);
    };
    try {
      fn(socket, next);
    } catch (err) {
      next(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** The trailing callback of `serverSideEmit`: `(err, replies)`. */
type ServerSideAck = (err: Error | null, replies: unknown[]) => void;

/** An ack that runs at most once: the adapter's failure and its own timeout may both answer. */
function onceAck(ack: ServerSideAck): ServerSideAck {
  let called = false;
  return (err, replies) => {
    if (called) return;
    called = true;
    ack(err, replies);
  };
}

/**
 * `Socket`: one client's connection to one namespace (docs/internals/server-semantics.md, "Sockets and events" and "Rooms").
 * @module
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { PacketType, type Packet } from '../protocol';
import { isAckLimitReached, isAckRefusal, refuseAck } from './limits';
import { assertNotReserved } from './reserved';
import type {
  BroadcastFlags,
  EncodedPacket,
  Room,
  SocketDetails,
  SocketId,
} from './adapter/adapter';
import { AckRegistry, createAckReply, type Ack } from './ack-registry';
import { reportRejection } from './adapter/adapter-calls';
import {
  notifyAll,
  runMiddlewares,
  withoutListener,
  type AnyListener,
  type SocketMiddleware,
} from './socket-hooks';
import { BroadcastOperator } from './broadcast-operator';
import type { Connection } from './connection';
import { buildHandshake, type Handshake } from './handshake';
import type { Namespace } from './namespace';
import type { DisconnectReason, SocketReservedEvents } from './reasons';
import {
  TypedEmitter,
  type AckReply,
  type AllButLast,
  type DecorateAcknowledgements,
  type DefaultEventsMap,
  type EventNames,
  type EventParams,
  type EventsMap,
  type Last,
} from './typed-events';
import type { EngineSession } from '../engine';
import type { RestoredSession } from './recovery/session';
import {
  createSocketRecovery,
  emitThroughAdapter,
  persistOnClose,
  writeMissedPackets,
  type SocketRecovery,
} from './recovery/socket-recovery';

/** `socket.data` before it was first read or set (any value the user sets, `undefined` too, is kept). */
const NO_DATA: unique symbol = Symbol('wiregate.noData');

/** EventEmitter options of every socket: one object, not one per connection. */
const CAPTURE_REJECTIONS = { captureRejections: true } as const;

/**
 * A client connected to one namespace.
 *
 * @example
 * io.on('connection', (socket) => {
 *   socket.join('lobby');
 *   socket.on('chat', (text, ack) => {
 *     socket.to('lobby').emit('chat', text);
 *     ack?.('delivered');
 *   });
 * });
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> extends TypedEmitter<ListenEvents, SocketReservedEvents> {
  /** The socket id, equal to the client's `socket.id`. */
  readonly id: SocketId;
  /** Whether the socket is connected to its namespace. */
  connected = false;
  /**
   * Set once the disconnect sequence ran. Not `!connected`: a recovered socket joins its
   * rooms before it is connected.
   */
  private closed = false;

  /** Acks this socket waits for (lazy: many sockets never ask for one). */
  private ackRegistry: AckRegistry | null = null;
  /** Flags of the next emit; null (the usual case) allocates nothing per emit. */
  private flags: BroadcastFlags | null = null;
  private middlewares: SocketMiddleware[] | null = null;
  private anyListeners: AnyListener[] | null = null;
  private anyOutgoingListeners: AnyListener[] | null = null;
  /**
   * The CONNECT auth payload until the handshake is built, and `socket.data` until it is
   * first read or set (docs/benchmarks.md, finding 4: built on first use, most sockets
   * never read them).
   */
  private readonly auth: Record<string, unknown>;
  private builtHandshake: Handshake | null = null;
  private dataValue: SocketData | typeof NO_DATA = NO_DATA;
  /** Connection state recovery (recovery/socket-recovery.ts); null when the option is off. */
  private readonly recovery: SocketRecovery | null;
  /**
   * @internal Called with an incoming event no listener took (`[event, ...args, ack?]`): the
   * framework answers an ack nobody would answer. Checked only when no listener ran, so
   * dispatch costs nothing more.
   */
  onUnhandledEvent: ((socket: Socket, args: unknown[]) => void) | null = null;

  /** @internal */
  constructor(
    readonly nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    /** The low-level connection: `socket.client.conn` (engine session) and `socket.client.request`. */
    readonly client: Connection,
    auth: Record<string, unknown>,
    /** The session this socket takes over (connection state recovery), or null. */
    restored: RestoredSession | null = null,
  ) {
    // A rejected promise from an async listener is reported as `error`, never left unhandled.
    super(CAPTURE_REJECTIONS);
    this.auth = auth;
    // Engine.IO v3 clients (socket.io-client 2) know nothing of recovery: no pid for them.
    this.recovery =
      nsp.recovery === null || client.conn.protocol === 3 ? null : createSocketRecovery(restored);
    if (restored !== null && this.recovery !== null) {
      // Rooms and data come back before the middlewares run, as in socket.io.
      this.id = restored.sid;
      this.dataValue = restored.data as SocketData;
      reportRejection(this.join(restored.rooms), nsp.reportAdapterError);
    } else {
      // Random, except for Engine.IO v3 clients, which derive their socket id from the session id.
      this.id = client.newSocketId(nsp.name);
    }
  }

  /**
   * Whether the connection state was recovered after a temporary disconnection: the socket
   * kept its id, rooms and `socket.data`, and the packets it missed were sent to it.
   */
  get recovered(): boolean {
    return this.recovery?.recovered === true;
  }

  /** What the connection started with (built on first access, then the same object). */
  get handshake(): Handshake {
    const client = this.client;
    return (this.builtHandshake ??= buildHandshake(
      client.request,
      client.conn.remoteAddress,
      client.issued,
      this.auth,
    ));
  }

  /** The user's bag; returned by `fetchSockets()` from any server. */
  get data(): SocketData {
    if (this.dataValue === NO_DATA) this.dataValue = {} as SocketData;
    return this.dataValue;
  }

  set data(value: SocketData) {
    this.dataValue = value;
  }

  /** Whether the socket is disconnected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** The rooms the socket is in, its own id included. */
  get rooms(): Set<Room> {
    return this.nsp.adapter.socketRooms(this.id) ?? new Set();
  }

  /** The Engine.IO session carrying this socket. */
  get conn(): EngineSession {
    return this.client.conn;
  }

  /** The opening HTTP request. */
  get request(): IncomingMessage {
    return this.client.conn.request;
  }

  /**
   * Sends an event to this client. A function as last argument receives the client's ack.
   * @throws WiregateError `WG_ERR_RESERVED_EVENT` for reserved names such as `disconnect`.
   */
  override emit<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: EventParams<EmitEvents, Ev>
  ): boolean {
    assertNotReserved(ev);
    const data: unknown[] = [ev, ...args];
    const packet: Packet = { type: PacketType.EVENT, nsp: this.nsp.name, data };
    const flags = this.flags;
    this.flags = null;
    const ack = typeof data[data.length - 1] === 'function' ? (data.pop() as Ack) : null;
    // docs/limits.md, maxPendingAcks: past the limit the emit is refused, not queued.
    if (ack !== null && isAckLimitReached(this.ackRegistry, this.nsp.server.options))
      return refuseAck(ack);
    if (ack !== null) packet.id = this.nsp.nextAckId();
    else if (this.recovery !== null && flags?.volatile !== true) {
      // Stored for replay, with its offset: through the adapter (outgoing listeners included).
      emitThroughAdapter(this, packet, flags);
      return true;
    }
    if (this.anyOutgoingListeners !== null) this.notifyOutgoing(data);
    this.client.writePacket(packet, flags ?? undefined);
    // Registered once the packet is written (a reply cannot come sooner): an emit that throws
    // (unserialisable data) leaves no pending ack or timer behind.
    if (ack !== null) {
      const timeout = flags?.timeout;
      const acks = (this.ackRegistry ??= new AckRegistry(this));
      if (timeout === undefined) acks.add(packet.id!, ack);
      else acks.addWithTimeout(packet.id!, ack, timeout);
    }
    return true;
  }

  /**
   * Sends an event and resolves with the client's ack (rejects on `timeout`).
   * @example const reply = await socket.timeout(1000).emitWithAck('ping');
   */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckReply<Last<EventParams<EmitEvents, Ev>>>> {
    const hasTimeout = this.flags?.timeout !== undefined;
    return new Promise((resolve, reject) => {
      type Reply = AckReply<Last<EventParams<EmitEvents, Ev>>>;
      const ack = hasTimeout
        ? (err: Error | null, reply: Reply) => (err ? reject(err) : resolve(reply))
        : (reply: Reply) => (isAckRefusal(reply) ? reject(reply) : resolve(reply));
      (this.emit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...args, ack);
    });
  }

  /** Sends a `message` event. */
  send(...args: unknown[]): this {
    (this.emit as (ev: string, ...rest: unknown[]) => boolean)('message', ...args);
    return this;
  }

  /** Alias of `send`. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /**
   * Joins one or more rooms.
   * @example socket.join(['room:42', `user:${socket.data.userId}`]);
   */
  join(rooms: Room | Room[]): Promise<void> | void {
    // After the disconnect the rooms were left for good: a late join (from an async listener)
    // would leave the dead id in the adapter forever. socket.io makes it a no-op too.
    if (this.closed) return;
    return this.nsp.adapter.addAll(this.id, Array.isArray(rooms) ? rooms : [rooms]);
  }

  /**
   * Leaves a room.
   * @example socket.leave('room:42');
   */
  leave(room: Room): Promise<void> | void {
    return this.nsp.adapter.del(this.id, room);
  }

  /**
   * Leaves every room, the socket's own room included (as in socket.io); the socket stays
   * connected and may join rooms again.
   * @example socket.leaveAll();
   */
  leaveAll(): Promise<void> | void {
    return this.nsp.adapter.delAll(this.id);
  }

  /**
   * Targets a room (or rooms) for a broadcast that excludes this socket.
   * @example socket.to('room:42').emit('typing', socket.id);
   */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.newBroadcast().to(room);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.newBroadcast().in(room);
  }

  /** Excludes rooms from a broadcast that excludes this socket. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.newBroadcast().except(room);
  }

  /** A broadcast to every other socket of the namespace. */
  get broadcast(): BroadcastOperator<EmitEvents, SocketData> {
    return this.newBroadcast();
  }

  /** A broadcast on this server only. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.newBroadcast().local;
  }

  /** Sets the compression flag of the next emit. */
  compress(compress: boolean): this {
    (this.flags ??= {}).compress = compress;
    return this;
  }

  /** The next emit may be dropped if the client is not ready. */
  get volatile(): this {
    (this.flags ??= {}).volatile = true;
    return this;
  }

  /**
   * The ack of the next emit gets an error after `ms`: it is called `(err, ...reply)`.
   * @example socket.timeout(1000).emit('ask', (err, answer) => …);
   */
  timeout(
    ms: number,
  ): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData> {
    (this.flags ??= {}).timeout = ms;
    return this as unknown as Socket<
      ListenEvents,
      DecorateAcknowledgements<EmitEvents>,
      ServerSideEvents,
      SocketData
    >;
  }

  /**
   * Adds a per-packet middleware; `next(err)` drops the event and emits `error`.
   * @example socket.use(([event], next) => (allowed(event) ? next() : next(new Error('forbidden'))));
   */
  use(fn: SocketMiddleware): this {
    (this.middlewares ??= []).push(fn);
    return this;
  }

  /**
   * Adds a listener for every incoming event.
   * @example socket.onAny((event, ...args) => log.debug(event, args));
   */
  onAny(listener: AnyListener): this {
    (this.anyListeners ??= []).push(listener);
    return this;
  }

  /** Adds a catch-all listener at the front. */
  prependAny(listener: AnyListener): this {
    (this.anyListeners ??= []).unshift(listener);
    return this;
  }

  /** Removes one catch-all listener, or all of them. */
  offAny(listener?: AnyListener): this {
    this.anyListeners = withoutListener(this.anyListeners, listener);
    return this;
  }

  /** The catch-all listeners. */
  listenersAny(): AnyListener[] {
    return this.anyListeners ? [...this.anyListeners] : [];
  }

  /**
   * Adds a listener for every outgoing event (broadcasts included).
   * @example socket.onAnyOutgoing((event) => metrics.count(event));
   */
  onAnyOutgoing(listener: AnyListener): this {
    (this.anyOutgoingListeners ??= []).push(listener);
    return this;
  }

  /** Adds an outgoing catch-all listener at the front. */
  prependAnyOutgoing(listener: AnyListener): this {
    (this.anyOutgoingListeners ??= []).unshift(listener);
    return this;
  }

  /** Removes one outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: AnyListener): this {
    this.anyOutgoingListeners = withoutListener(this.anyOutgoingListeners, listener);
    return this;
  }

  /** The outgoing catch-all listeners. */
  listenersAnyOutgoing(): AnyListener[] {
    return this.anyOutgoingListeners ? [...this.anyOutgoingListeners] : [];
  }

  /**
   * Leaves the namespace (`41` to the client); with `close`, ends the whole connection.
   * @example socket.disconnect(); // this namespace only
   * @example socket.disconnect(true); // the whole connection
   */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client.disconnectAll();
    } else {
      this.client.writePacket({ type: PacketType.DISCONNECT, nsp: this.nsp.name }, undefined);
      this.onClose('server namespace disconnect');
    }
    return this;
  }

  /** @internal Completes the connection: own room, CONNECT reply. */
  onConnect(): void {
    this.connected = true;
    // A cluster adapter may join asynchronously; its failure goes to the server's report.
    reportRejection(this.join(this.id), this.nsp.reportAdapterError);
    const recovery = this.recovery;
    if (recovery !== null) writeMissedPackets(this, recovery);
    const data = recovery === null ? { sid: this.id } : { sid: this.id, pid: recovery.pid };
    this.client.writePacket({ type: PacketType.CONNECT, nsp: this.nsp.name, data }, undefined);
  }

  /** @internal Dispatches one incoming packet for this namespace. */
  onPacket(packet: Packet): void {
    if (!this.connected) return;
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.onEvent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        this.onAck(packet);
        break;
      case PacketType.DISCONNECT:
        this.onClose('client namespace disconnect');
        break;
      default:
        break;
    }
  }

  /** @internal Writes an encoded broadcast packet; `packet` feeds the outgoing catch-all listeners. */
  writeEncoded(encoded: EncodedPacket, flags: BroadcastFlags | undefined, packet?: Packet): void {
    if (!this.connected) return;
    if (this.anyOutgoingListeners !== null && packet !== undefined)
      this.notifyOutgoing(packet.data as unknown[]);
    this.client.writeEncoded(encoded, flags);
  }

  /** @internal Registers an ack callback under an id (a broadcast with acks). */
  registerAck(id: number, ack: Ack): void {
    (this.ackRegistry ??= new AckRegistry(this)).addBroadcast(id, ack);
  }

  /**
   * @internal The acks this socket waits for, under socket.io's name: adapters built on
   * socket.io-adapter register a broadcast's ack with `socket.acks.set(id, ack)`.
   */
  get acks(): AckRegistry {
    return (this.ackRegistry ??= new AckRegistry(this));
  }

  /**
   * @internal socket.io's hook for a broadcast written by an adapter built on socket.io-adapter:
   * the outgoing catch-all listeners hear of it.
   */
  notifyOutgoingListeners(packet: Packet): void {
    if (this.anyOutgoingListeners !== null && this.connected)
      this.notifyOutgoing(packet.data as unknown[]);
  }

  /** Plain details for `fetchSockets` across servers. */
  toDetails(): SocketDetails {
    return { id: this.id, handshake: this.handshake, rooms: [...this.rooms], data: this.data };
  }

  /** @internal Runs the disconnect sequence: `disconnecting`, leave rooms, `disconnect`. */
  onClose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    this.emitSafely('disconnecting', reason, description);
    if (this.recovery !== null) persistOnClose(this, this.recovery, reason);
    reportRejection(this.nsp.adapter.delAll(this.id), this.nsp.reportAdapterError);
    this.connected = false;
    this.closed = true;
    const acks = this.ackRegistry;
    this.ackRegistry = null;
    this.client.remove(this);
    this.nsp.remove(this);
    this.emitSafely('disconnect', reason, description);
    // No reply can come any more: acks under a timeout fail now rather than leave their
    // timers running after the socket (or the whole server) is gone.
    acks?.failTimed('socket has been disconnected');
  }

  /** A throwing `disconnecting`/`disconnect` listener must not stop the disconnect sequence. */
  private emitSafely(
    ev: 'disconnecting' | 'disconnect',
    reason: DisconnectReason,
    description: unknown,
  ): void {
    try {
      this.emitReserved(ev, reason, description);
    } catch (err) {
      this.onError(err);
    }
  }

  /**
   * @internal Reports an error as the `error` event when someone listens (an `error` event
   * without listeners would throw and end the process). Otherwise a bug in user code
   * (`isBug`) becomes a process warning; a refusal or a client's bad packet stays silent, so
   * that a misbehaving client cannot flood the logs.
   */
  onError(err: unknown, isBug = true): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.listenerCount('error') > 0) this.emitReserved('error', error);
    else if (isBug)
      process.emitWarning(error.message, { type: 'WiregateSocketError', detail: error.stack });
  }

  /** @internal Where EventEmitter routes rejections of async listeners (`captureRejections`). */
  override [EventEmitter.captureRejectionSymbol](err: unknown): void {
    this.onError(err);
  }

  private onEvent(packet: Packet): void {
    const args = packet.data as unknown[];
    if (packet.id !== undefined) args.push(createAckReply(this, packet.id));
    // User code (catch-all listeners, middlewares, listeners) may throw: it costs this event only.
    try {
      if (this.anyListeners !== null) notifyAll(this.anyListeners, args);
      if (this.middlewares === null) this.dispatchEvent(args);
      else runMiddlewares(this, this.middlewares, args, 0);
    } catch (err) {
      this.onError(err);
    }
  }

  /** @internal Hands an event to the listeners (after the middlewares, if any). */
  dispatchEvent(args: unknown[]): void {
    if (!this.connected) return;
    // A client's `error` event with no `error` listener would make EventEmitter throw, and
    // each such packet would print a warning: any client could flood the log. socket.io
    // ignores it (a no-op `error` listener); so do we, without hiding bugs reported by onError.
    if (args[0] === 'error' && this.listenerCount('error') === 0) return;
    // args is [event, ...values]: exactly emit's argument list, so no copy is needed.
    // EventEmitter's emit returns false when no listener ran.
    if (!Reflect.apply(EventEmitter.prototype.emit, this, args) && this.onUnhandledEvent !== null)
      this.onUnhandledEvent(this as Socket, args);
  }

  private onAck(packet: Packet): void {
    this.ackRegistry?.settle(packet.id!, packet.data as unknown[]);
  }

  private notifyOutgoing(data: unknown[]): void {
    try {
      notifyAll(this.anyOutgoingListeners!, data);
    } catch (err) {
      this.onError(err);
    }
  }

  private newBroadcast(): BroadcastOperator<EmitEvents, SocketData> {
    // Flags set on the socket before `to()` (`socket.volatile.to(room)`) belong to the broadcast.
    const flags = this.flags;
    this.flags = null;
    return new BroadcastOperator(
      this.nsp.adapter,
      new Set(),
      new Set([this.id]),
      flags === null ? {} : { ...flags },
    );
  }
}

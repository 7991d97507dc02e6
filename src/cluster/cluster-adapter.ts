/**
 * `ClusterAdapter`: the cross-server half of every adapter operation, over any transport that
 * can publish bytes to all servers of a namespace and to one server. The whole cluster protocol
 * lives here: messages, requests and their timeouts, heartbeats.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { encodePacket, type Packet, type PacketType } from '../protocol';
import { WiregateError } from '../shared/errors';
import {
  InMemoryAdapter,
  type AdapterNamespace,
  type AdapterSocket,
  type BroadcastOptions,
  type Room,
  type SocketDetails,
  type SocketId,
} from '../server';
import {
  decodeMessage,
  EncodedBroadcast,
  encodeMessage,
  fromWireEncoded,
  fromWireOptions,
  fromWireValue,
  MessageKind,
  toWireDetails,
  toWireOptions,
  toWireValue,
  type ClusterMessage,
  type MessageBodies,
} from './messages';
import { AckBroadcastAnswers, ServerAnswers, type PendingRequest } from './pending-requests';

/** Options every cluster adapter takes. */
export interface ClusterAdapterOptions {
  /** ms to wait for the other servers' answers (fetchSockets, socketsJoin, serverSideEmit acks…). Default 5000. */
  requestsTimeout?: number;
  /** ms between two signs of life of this server (any message counts). Default 5000. */
  heartbeatInterval?: number;
  /** ms of silence after which another server counts as gone. Default 10000. */
  heartbeatTimeout?: number;
}

/** Default of `requestsTimeout`. */
export const DEFAULT_REQUESTS_TIMEOUT = 5000;
/** Default of `heartbeatInterval`. */
export const DEFAULT_HEARTBEAT_INTERVAL = 5000;
/** Default of `heartbeatTimeout`. */
export const DEFAULT_HEARTBEAT_TIMEOUT = 10000;

type Body<K extends MessageKind> = MessageBodies[K];
type RequestKind =
  | typeof MessageKind.SOCKETS_JOIN
  | typeof MessageKind.SOCKETS_LEAVE
  | typeof MessageKind.DISCONNECT_SOCKETS
  | typeof MessageKind.FETCH_SOCKETS
  | typeof MessageKind.SERVER_SIDE_EMIT;
type Ack = (...args: unknown[]) => void;

/**
 * An adapter whose operations span every server that runs the same namespace. Subclasses only
 * move bytes: `publish` to all servers, `publishTo` one server, and hand every message they
 * receive to `onMessage` (see `RedisAdapter`).
 *
 * Events (only emitted when someone listens): `error(err)` for failures that have no caller to
 * reject (a publish that failed, a listener of a server-side event that threw).
 *
 * @example
 * class MyAdapter extends ClusterAdapter {
 *   protected publish(message: Buffer) { return bus.send('all', message); }
 *   protected publishTo(uid: string, message: Buffer) { return bus.send(uid, message); }
 * }
 */
export abstract class ClusterAdapter extends InMemoryAdapter {
  /** This server's id in the cluster (one per namespace and process). */
  readonly uid: string = randomBytes(8).toString('hex');
  protected readonly requestsTimeout: number;
  private readonly heartbeatInterval: number;
  private readonly heartbeatTimeout: number;
  /** Other live servers: uid → when we last heard from them (ms). */
  private readonly nodes = new Map<string, number>();
  /** Servers that said goodbye: uid → when. A late message of theirs must not revive them. */
  private readonly departed = new Map<string, number>();
  private readonly requests = new Map<number, PendingRequest>();
  private nextRequestId = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private publishedSinceTick = false;
  private closed = false;

  constructor(nsp: AdapterNamespace, opts: ClusterAdapterOptions = {}) {
    super(nsp);
    this.requestsTimeout = opts.requestsTimeout ?? DEFAULT_REQUESTS_TIMEOUT;
    this.heartbeatInterval = opts.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL;
    this.heartbeatTimeout = opts.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT;
  }

  /** Publishes to every server of this namespace (this one included: it ignores its own). */
  protected abstract publish(message: Buffer): Promise<unknown>;

  /** Publishes to the server `uid` only (answers to its requests). */
  protected abstract publishTo(uid: string, message: Buffer): Promise<unknown>;

  /** Announces this server and starts the heartbeats; subclasses subscribe first, then call this. */
  override init(): Promise<void> | void {
    // Ticks at half the interval: a server that published right after a tick still shows a sign
    // of life at most one interval later.
    this.heartbeatTimer = setInterval(() => this.onHeartbeatTick(), Math.max(1, this.heartbeatInterval / 2));
    this.heartbeatTimer.unref();
    this.announce();
  }

  /** Whether `close()` was called. */
  protected get isClosed(): boolean {
    return this.closed;
  }

  /** Asks every server to answer with a heartbeat (also after this server could not hear them). */
  protected announce(): void {
    this.send(MessageKind.INITIAL_HEARTBEAT, null);
  }

  /** Tells the others this server leaves, and fails what still waits for answers. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    const err = closedError(this.nsp.name);
    for (const request of [...this.requests.values()]) request.fail(err);
    this.requests.clear();
    // Bounded: with Redis down the client may hold the publish until it reconnects, and closing
    // must not wait for that. The others then notice by the heartbeat timeout instead.
    const notice = this.publish(encodeMessage(this.uid, MessageKind.ADAPTER_CLOSE, null));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.requestsTimeout)));
    await Promise.race([notice.catch((e: unknown) => this.reportError(e)), deadline]);
    clearTimeout(timer);
  }

  /** Servers running this namespace, this one included, as the heartbeats tell. */
  override serverCount(): Promise<number> {
    return Promise.resolve(this.nodes.size + 1);
  }

  /** Sends to the selected sockets of every server: one publish, encoded once for all. */
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    if (opts.flags?.local) return super.broadcast(packet, opts);
    const encoded = encodePacket(packet);
    this.send(MessageKind.BROADCAST, { opts: toWireOptions(opts), encoded });
    const flags = opts.flags;
    this.forEachSelected(opts, (socket) => socket.writeEncoded(encoded, flags, packet));
  }

  /**
   * A broadcast whose recipients ack, on every server: each server reports its recipient count
   * (the operator expects one count per `serverCount()`), then each reply. A server that leaves
   * counts as zero recipients, so nobody waits for it.
   */
  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (count: number) => void,
    ack: Ack,
  ): void {
    if (!opts.flags?.local && this.nodes.size > 0) this.requestAckBroadcast(packet, opts, clientCountCallback, ack);
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
  }

  /** Ids of the selected sockets on every server. */
  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const found = await this.fetchSockets({ rooms });
    return new Set(found.map((s) => s.id));
  }

  /**
   * The selected sockets of every server: local ones as they are, remote ones as details.
   * @throws WiregateError `WG_ERR_ACK_TIMEOUT` when a server does not answer within `requestsTimeout`.
   */
  override async fetchSockets(opts: BroadcastOptions): Promise<(AdapterSocket | SocketDetails)[]> {
    const found = await super.fetchSockets(opts);
    if (opts.flags?.local) return found;
    await this.request('fetchSockets', MessageKind.FETCH_SOCKETS, { opts: toWireOptions(opts) }, (_uid, body) => {
      for (const details of (body as Body<typeof MessageKind.FETCH_SOCKETS_RESPONSE>).sockets) {
        details.data = fromWireValue(details.data);
        found.push(details);
      }
    });
    return found;
  }

  /** The selected sockets of every server join `rooms`; resolves once every server did it. */
  override async addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    if (opts.flags?.local) return super.addSockets(opts, rooms);
    const body = { opts: toWireOptions(opts), rooms };
    await Promise.all([super.addSockets(opts, rooms), this.request('socketsJoin', MessageKind.SOCKETS_JOIN, body, noop)]);
  }

  /** The selected sockets of every server leave `rooms`; resolves once every server did it. */
  override async delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    if (opts.flags?.local) return super.delSockets(opts, rooms);
    const body = { opts: toWireOptions(opts), rooms };
    await Promise.all([super.delSockets(opts, rooms), this.request('socketsLeave', MessageKind.SOCKETS_LEAVE, body, noop)]);
  }

  /** The selected sockets of every server are disconnected; resolves once every server did it. */
  override async disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    if (opts.flags?.local) return super.disconnectSockets(opts, close);
    const body = { opts: toWireOptions(opts), close };
    await Promise.all([
      super.disconnectSockets(opts, close),
      this.request('disconnectSockets', MessageKind.DISCONNECT_SOCKETS, body, noop),
    ]);
  }

  /**
   * Emits `[event, ...args]` to the other servers' namespace listeners. A trailing function gets
   * `(err, replies[])`: one reply per server, or a `WG_ERR_ACK_TIMEOUT` error (with the replies
   * received so far) after `requestsTimeout`.
   */
  override serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last !== 'function') {
      this.send(MessageKind.SERVER_SIDE_EMIT, { args: toWireValue(packet) as unknown[] });
      return;
    }
    const args = toWireValue(packet.slice(0, -1)) as unknown[];
    const replies: unknown[] = [];
    const collect = (_uid: string, body: unknown) =>
      replies.push(fromWireValue((body as Body<typeof MessageKind.SERVER_SIDE_EMIT_RESPONSE>).reply));
    this.request('serverSideEmit', MessageKind.SERVER_SIDE_EMIT, { args }, collect)
      .then(
        () => last(null, replies),
        (err: WiregateError & { responses?: unknown[] }) => {
          err.responses = replies;
          return last(err, replies);
        },
      )
      // The user's callback threw: report it rather than leave an unhandled rejection.
      .catch((err: unknown) => this.reportError(err));
  }

  /**
   * The transport hands every message it receives here (on either channel). Never throws: a bad
   * message is dropped, a failing handler is reported as `error`.
   */
  onMessage(bytes: Uint8Array): void {
    if (this.closed) return;
    const message = decodeMessage(bytes);
    if (message === null || message.uid === this.uid) return;
    try {
      this.dispatch(message);
    } catch (err) {
      this.reportError(err);
    }
  }

  /** Reports a failure nobody awaits; never emits `error` into the void (style.md §6). */
  protected reportError(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new Error(String(err)));
  }

  private dispatch(message: ClusterMessage): void {
    const { uid, kind, body } = message;
    if (kind === MessageKind.ADAPTER_CLOSE) {
      this.departed.set(uid, Date.now());
      return this.removeNode(uid);
    }
    if (this.departed.size > 0 && this.departed.has(uid)) return;
    this.nodes.set(uid, Date.now());
    switch (kind) {
      case MessageKind.INITIAL_HEARTBEAT:
        // The newcomer learns about us now rather than one interval later.
        return this.send(MessageKind.HEARTBEAT, null);
      case MessageKind.HEARTBEAT:
        return;
      case MessageKind.BROADCAST:
        return this.onBroadcast(uid, body as Body<typeof MessageKind.BROADCAST>);
      case MessageKind.SOCKETS_JOIN: {
        const b = body as Body<typeof MessageKind.SOCKETS_JOIN>;
        return this.answerOperation(uid, b.requestId, super.addSockets(fromWireOptions(b.opts), b.rooms));
      }
      case MessageKind.SOCKETS_LEAVE: {
        const b = body as Body<typeof MessageKind.SOCKETS_LEAVE>;
        return this.answerOperation(uid, b.requestId, super.delSockets(fromWireOptions(b.opts), b.rooms));
      }
      case MessageKind.DISCONNECT_SOCKETS: {
        const b = body as Body<typeof MessageKind.DISCONNECT_SOCKETS>;
        return this.answerOperation(uid, b.requestId, super.disconnectSockets(fromWireOptions(b.opts), b.close));
      }
      case MessageKind.FETCH_SOCKETS:
        return this.answerFetchSockets(uid, body as Body<typeof MessageKind.FETCH_SOCKETS>);
      case MessageKind.SERVER_SIDE_EMIT:
        return this.onServerSideEmit(uid, body as Body<typeof MessageKind.SERVER_SIDE_EMIT>);
      default: {
        // Every other kind answers one of our requests.
        const requestId = (body as { requestId?: unknown } | null)?.requestId;
        if (typeof requestId === 'number') this.requests.get(requestId)?.answer(uid, kind, body);
      }
    }
  }

  private onBroadcast(uid: string, body: Body<typeof MessageKind.BROADCAST>): void {
    const opts = fromWireOptions(body.opts);
    if (body.requestId === undefined) {
      const encoded = fromWireEncoded(body.encoded);
      const flags = opts.flags;
      // Decoded only if a recipient has outgoing catch-all listeners (onAnyOutgoing).
      const packet = new EncodedBroadcast(this.nsp.name, encoded);
      this.forEachSelected(opts, (socket) => socket.writeEncoded(encoded, flags, packet));
      return;
    }
    const requestId = body.requestId;
    // Our own ack id, not the sender's: the sender's counter would collide with this server's
    // pending acks on the same socket.
    const packet: Packet = {
      type: body.packet.type as PacketType,
      nsp: this.nsp.name,
      data: fromWireValue(body.packet.data),
      id: this.nsp.nextAckId ? this.nsp.nextAckId() : body.packet.id,
    };
    super.broadcastWithAck(
      packet,
      opts,
      (count) => this.respond(uid, MessageKind.BROADCAST_CLIENT_COUNT, { requestId, count }),
      (...args) => this.respond(uid, MessageKind.BROADCAST_ACK, { requestId, args: toWireValue(args) as unknown[] }),
    );
  }

  private requestAckBroadcast(packet: Packet, opts: BroadcastOptions, clientCountCallback: (count: number) => void, ack: Ack): void {
    const requestId = this.nextRequestId++;
    const request = new AckBroadcastAnswers(
      this.nodes.keys(),
      opts.flags?.timeout,
      clientCountCallback,
      (args) => ack(...(fromWireValue(args) as unknown[])),
      () => this.requests.delete(requestId),
    );
    this.requests.set(requestId, request);
    const wirePacket = { type: packet.type, nsp: packet.nsp, id: packet.id, data: toWireValue(packet.data) };
    const message = encodeMessage(this.uid, MessageKind.BROADCAST, { opts: toWireOptions(opts), packet: wirePacket, requestId });
    this.publishFanout(message).catch((err: unknown) => {
      // Nobody else got it: count every other server as zero recipients instead of waiting.
      this.reportError(err);
      for (const uid of request.pendingServers()) request.serverGone(uid);
    });
  }

  private answerOperation(uid: string, requestId: number, work: Promise<void>): void {
    work
      .catch((err: unknown) => this.reportError(err))
      .then(() => this.respond(uid, MessageKind.OPERATION_DONE, { requestId }));
  }

  private answerFetchSockets(uid: string, body: Body<typeof MessageKind.FETCH_SOCKETS>): void {
    super
      .fetchSockets(fromWireOptions(body.opts))
      .then((local) => {
        // toWireDetails may run user code (a toJSON in socket.data) and throw: caught below.
        const sockets = local.map((s) => toWireDetails(isAdapterSocket(s) ? s.toDetails() : s));
        this.respond(uid, MessageKind.FETCH_SOCKETS_RESPONSE, { requestId: body.requestId, sockets });
      })
      .catch((err: unknown) => this.reportError(err));
  }

  private onServerSideEmit(uid: string, body: Body<typeof MessageKind.SERVER_SIDE_EMIT>): void {
    const args = fromWireValue(body.args) as unknown[];
    const requestId = body.requestId;
    if (requestId !== undefined) {
      let answered = false;
      args.push((reply: unknown) => {
        if (answered) return;
        answered = true;
        this.respond(uid, MessageKind.SERVER_SIDE_EMIT_RESPONSE, { requestId, reply: toWireValue(reply) });
      });
    }
    this.nsp.receiveServerSideEmit(args);
  }

  /**
   * Publishes a request and waits until every server alive at that moment answered (or left).
   * Resolves at once when this server is alone.
   */
  private request<K extends RequestKind>(
    label: string,
    kind: K,
    body: Omit<Body<K>, 'requestId'>,
    onAnswer: (uid: string, body: unknown) => void,
  ): Promise<void> {
    if (this.closed) return Promise.reject(closedError(this.nsp.name));
    if (this.nodes.size === 0) return Promise.resolve();
    const requestId = this.nextRequestId++;
    const message = encodeMessage(this.uid, kind, { ...body, requestId } as Body<K>);
    const ms = this.requestsTimeout;
    return new Promise<void>((resolve, reject) => {
      const settle = (err: Error | null) => {
        this.requests.delete(requestId);
        if (err) reject(err);
        else resolve();
      };
      const request = new ServerAnswers(this.nodes.keys(), ms, onAnswer, settle, (missing, total) =>
        timeoutError(label, missing, total, ms),
      );
      this.requests.set(requestId, request);
      this.publishFanout(message).catch((err: unknown) => request.fail(unreachableError(label, err)));
    });
  }

  /** Publishes to everyone; a failure is reported, never thrown into the void. */
  private send<K extends MessageKind>(kind: K, body: Body<K>): void {
    this.publishFanout(encodeMessage(this.uid, kind, body)).catch((err: unknown) => this.reportError(err));
  }

  private publishFanout(message: Buffer): Promise<unknown> {
    this.publishedSinceTick = true;
    return this.publish(message);
  }

  private respond<K extends MessageKind>(uid: string, kind: K, body: Body<K>): void {
    let message: Buffer;
    try {
      message = encodeMessage(this.uid, kind, body);
    } catch (err) {
      // e.g. socket.data holding a BigInt: the requester times out, the cause is reported here.
      return this.reportError(err);
    }
    this.publishTo(uid, message).catch((err: unknown) => this.reportError(err));
  }

  private onHeartbeatTick(): void {
    if (!this.publishedSinceTick) this.send(MessageKind.HEARTBEAT, null);
    this.publishedSinceTick = false;
    const deadline = Date.now() - this.heartbeatTimeout;
    for (const [uid, lastSeen] of this.nodes) if (lastSeen < deadline) this.removeNode(uid);
    for (const [uid, leftAt] of this.departed) if (leftAt < deadline) this.departed.delete(uid);
  }

  private removeNode(uid: string): void {
    if (!this.nodes.delete(uid)) return;
    for (const request of [...this.requests.values()]) request.serverGone(uid);
  }
}

function noop(): void {}

function isAdapterSocket(s: AdapterSocket | SocketDetails): s is AdapterSocket {
  return typeof (s as AdapterSocket).toDetails === 'function';
}

// Codes: the catalogue (shared/errors.ts) has no cluster-specific code yet; WG_ERR_ACK_TIMEOUT is
// the closest ("the others did not answer in time"). Every cluster error is built here.
function timeoutError(label: string, missing: number, total: number, ms: number): WiregateError {
  return new WiregateError(
    'WG_ERR_ACK_TIMEOUT',
    `${label}: ${missing} of ${total} other server(s) did not answer within ${ms} ms (requestsTimeout)`,
  );
}

function unreachableError(label: string, cause: unknown): WiregateError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new WiregateError('WG_ERR_ACK_TIMEOUT', `${label}: could not reach the other servers (${reason})`, { cause });
}

function closedError(nsp: string): WiregateError {
  return new WiregateError('WG_ERR_SERVER_NOT_RUNNING', `the cluster adapter of namespace "${nsp}" is closed`);
}

/**
 * `ClusterAdapter`: every adapter operation across servers, speaking socket.io-adapter's
 * `ClusterAdapter` message protocol, over any transport that can publish a message to all
 * servers of a namespace and a response to one server. `@socket.io/redis-adapter`'s sharded
 * adapter speaks it, so a transport built on this class talks to socket.io servers using the
 * same transport.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Packet } from '../protocol';
import type {
  AdapterNamespace,
  AdapterSocket,
  BroadcastOptions,
  Room,
  SocketDetails,
  SocketId,
} from '../server';
import {
  MessageType,
  readClusterMessage,
  type ClusterMessage,
  type UnsentMessage,
} from './cluster-messages';
import type { Responders } from './pending-requests';
import { BARRIER_ROOM, RequestingAdapter, type ClusterAdapterOptions } from './requesting-adapter';
import {
  readDetails,
  readOptions,
  readPacket,
  readRooms,
  toWireDetails,
  toWireOptions,
  toWirePacket,
} from './wire-shapes';

type Ack = (...args: unknown[]) => void;

/**
 * An adapter whose operations span every server that runs the same namespace. Subclasses move
 * messages: `doPublish` to every server (this one included: it ignores its own), `doPublishResponse`
 * to one server, `serverCount()` counts the servers, and every message received goes to
 * `onMessage` (responses may go to `onResponse`). Encode messages with `encodeClusterMessage`
 * and decode them with `decodeClusterMessage` to speak socket.io's bytes too.
 *
 * The protocol has no answer for `socketsJoin` / `socketsLeave` / `disconnectSockets`; they
 * resolve once every server answered a `fetchSockets` of an empty room sent after them, which on a
 * transport that keeps each sender's order (as Redis does) means once every server applied them.
 *
 * Events (only emitted when someone listens): `error(err)` for failures that have no caller to
 * reject (a publish that failed, a listener of a server-side event that threw).
 *
 * @example
 * class MyAdapter extends ClusterAdapter {
 *   protected doPublish(message: ClusterMessage) { return bus.send('all', encodeClusterMessage(message)); }
 *   protected doPublishResponse(uid: string, response: ClusterMessage) { return bus.send(uid, encodeClusterMessage(response)); }
 *   override serverCount() { return bus.countMembers(); }
 * }
 */
export abstract class ClusterAdapter extends RequestingAdapter {
  readonly uid: string = randomBytes(8).toString('hex');

  constructor(nsp: AdapterNamespace, opts: ClusterAdapterOptions = {}) {
    super(nsp, opts);
  }

  /** Publishes to every server of this namespace. */
  protected abstract doPublish(message: ClusterMessage): Promise<unknown>;

  /** Publishes a response to the server `requesterUid` only. */
  protected abstract doPublishResponse(
    requesterUid: string,
    response: ClusterMessage,
  ): Promise<unknown>;

  /** Servers running this namespace, this one included. */
  abstract override serverCount(): Promise<number>;

  /** Who must answer a request: every other server. */
  protected async responders(): Promise<Responders> {
    return (await this.serverCount()) - 1;
  }

  /** Sends to the selected sockets of every server: one publish; each server encodes once for its recipients. */
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    // Local first: data that cannot be encoded throws here, before anything was published.
    super.broadcast(packet, opts);
    if (opts.flags?.local) return;
    this.publish({
      type: MessageType.BROADCAST,
      data: { packet: toWirePacket(packet, false), opts: toWireOptions(opts) },
    });
  }

  /**
   * A broadcast whose recipients ack, on every server: each server reports its recipient count
   * (the operator expects one count per `serverCount()`), then each reply.
   */
  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (count: number) => void,
    ack: Ack,
  ): void {
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
    if (opts.flags?.local) return;
    const wirePacket = toWirePacket(packet, false);
    const wireOpts = toWireOptions(opts);
    this.requestAckBroadcast(opts, clientCountCallback, ack, (requestId) =>
      this.publishAndWait({
        type: MessageType.BROADCAST,
        data: { packet: wirePacket, requestId, opts: wireOpts },
      }),
    );
  }

  /** Ids of the selected sockets on every server. */
  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const found = await this.fetchSockets({ rooms, except: new Set() });
    return new Set(found.map((s) => s.id));
  }

  /**
   * The selected sockets of every server: local ones as they are, remote ones as details.
   * @throws WiregateError `WG_ERR_ACK_TIMEOUT` when a server does not answer within `requestsTimeout`.
   */
  override async fetchSockets(opts: BroadcastOptions): Promise<(AdapterSocket | SocketDetails)[]> {
    const found = await super.fetchSockets(opts);
    if (opts.flags?.local) return found;
    const data = { opts: toWireOptions(opts) };
    await this.request(
      'fetchSockets',
      (requestId) =>
        this.publishAndWait({ type: MessageType.FETCH_SOCKETS, data: { ...data, requestId } }),
      (body) => {
        for (const details of body as SocketDetails[]) found.push(details);
      },
    );
    return found;
  }

  /** The selected sockets of every server join `rooms`; resolves once every server applied it. */
  override async addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    if (opts.flags?.local) return super.addSockets(opts, rooms);
    this.publish({ type: MessageType.SOCKETS_JOIN, data: { opts: toWireOptions(opts), rooms } });
    await Promise.all([super.addSockets(opts, rooms), this.confirm('socketsJoin')]);
  }

  /** The selected sockets of every server leave `rooms`; resolves once every server applied it. */
  override async delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    if (opts.flags?.local) return super.delSockets(opts, rooms);
    this.publish({ type: MessageType.SOCKETS_LEAVE, data: { opts: toWireOptions(opts), rooms } });
    await Promise.all([super.delSockets(opts, rooms), this.confirm('socketsLeave')]);
  }

  /** The selected sockets of every server are disconnected; resolves once every server did it. */
  override async disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    if (opts.flags?.local) return super.disconnectSockets(opts, close);
    this.publish({
      type: MessageType.DISCONNECT_SOCKETS,
      data: { opts: toWireOptions(opts), close },
    });
    await Promise.all([super.disconnectSockets(opts, close), this.confirm('disconnectSockets')]);
  }

  /**
   * Emits `[event, ...args]` to the other servers' namespace listeners. A trailing function gets
   * `(err, replies[])`: one reply per server, or a `WG_ERR_ACK_TIMEOUT` error (with the replies
   * received so far) after `requestsTimeout`.
   */
  override serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last !== 'function') {
      this.publish({ type: MessageType.SERVER_SIDE_EMIT, data: { packet } });
      return;
    }
    const args = packet.slice(0, -1);
    this.serverSideEmitWithAck(
      (requestId) =>
        this.publishAndWait({
          type: MessageType.SERVER_SIDE_EMIT,
          data: { requestId, packet: args },
        }),
      last as (err: Error | null, replies: unknown[]) => void,
    );
  }

  /**
   * The transport hands every message it receives here (responses too). Never throws: a message
   * that is not one, or of another namespace, is dropped; a failing handler is reported as `error`.
   */
  onMessage(message: unknown): void {
    if (this.isClosed) return;
    const checked = readClusterMessage(message);
    if (checked === null || checked.uid === this.uid || checked.nsp !== this.nsp.name) return;
    try {
      this.handleMessage(checked);
    } catch (err) {
      this.reportError(err);
    }
  }

  /** The transport may hand responses (to this server only) here; `onMessage` takes them too. */
  onResponse(response: unknown): void {
    this.onMessage(response);
  }

  /** Acts on a checked message of another server of this namespace. */
  protected handleMessage(message: ClusterMessage): void {
    const data = message.data ?? {};
    switch (message.type) {
      case MessageType.BROADCAST:
        return this.onBroadcast(message.uid, data);
      case MessageType.SOCKETS_JOIN:
      case MessageType.SOCKETS_LEAVE: {
        const opts = readOptions(data.opts);
        const rooms = readRooms(data.rooms);
        if (opts === null || rooms === null) return;
        return this.runLocal(
          message.type === MessageType.SOCKETS_JOIN
            ? super.addSockets(opts, rooms)
            : super.delSockets(opts, rooms),
        );
      }
      case MessageType.DISCONNECT_SOCKETS: {
        const opts = readOptions(data.opts);
        if (opts !== null) this.runLocal(super.disconnectSockets(opts, data.close === true));
        return;
      }
      case MessageType.FETCH_SOCKETS:
        return this.answerFetchSockets(message.uid, data);
      case MessageType.SERVER_SIDE_EMIT:
        return this.onServerSideEmit(message.uid, data);
      case MessageType.FETCH_SOCKETS_RESPONSE: {
        if (!Array.isArray(data.sockets) || !this.isPending(data.requestId)) return;
        const sockets = data.sockets.map(readDetails).filter((d): d is SocketDetails => d !== null);
        return this.answer(data.requestId, message.uid, sockets);
      }
      case MessageType.SERVER_SIDE_EMIT_RESPONSE:
        return this.answer(data.requestId, message.uid, data.packet);
      case MessageType.BROADCAST_CLIENT_COUNT:
        if (typeof data.clientCount === 'number')
          this.answer(data.requestId, message.uid, { count: data.clientCount });
        return;
      case MessageType.BROADCAST_ACK:
        return this.answer(data.requestId, message.uid, { ack: data.packet });
      default:
      // Heartbeats and departures mean nothing without heartbeats (see ClusterAdapterWithHeartbeat).
    }
  }

  /**
   * The protocol does not answer socketsJoin & co: a fetchSockets of an empty room sent after
   * one is answered once each server applied it, on transports that keep a sender's order.
   */
  private confirm(label: string): Promise<void> {
    const data = { opts: { rooms: [BARRIER_ROOM], except: [], flags: {} } };
    return this.confirmApplied(label, (requestId) =>
      this.publishAndWait({ type: MessageType.FETCH_SOCKETS, data: { ...data, requestId } }),
    );
  }

  /** Publishes to every server; a failure is reported, never thrown into the void. */
  protected publish(message: UnsentMessage): void {
    this.publishAndWait(message).catch((err: unknown) => this.reportError(err));
  }

  /** Publishes to every server, stamped with this server's uid and namespace. */
  protected publishAndWait(message: UnsentMessage): Promise<unknown> {
    try {
      // socket.io-adapter stamps uid and nsp last: same key order, same JSON.
      return this.doPublish({ ...message, uid: this.uid, nsp: this.nsp.name });
    } catch (err) {
      // A transport that encodes synchronously throws on data it cannot serialise.
      return Promise.reject(err);
    }
  }

  private respond(requesterUid: string, response: UnsentMessage): void {
    let sent: Promise<unknown>;
    try {
      sent = this.doPublishResponse(requesterUid, {
        ...response,
        uid: this.uid,
        nsp: this.nsp.name,
      });
    } catch (err) {
      // e.g. socket.data holding a BigInt: the requester times out, the cause is reported here.
      return this.reportError(err);
    }
    sent.catch((err: unknown) => this.reportError(err));
  }

  private onBroadcast(uid: string, data: Record<string, unknown>): void {
    const opts = readOptions(data.opts);
    if (opts === null) return;
    const requestId = data.requestId;
    if (requestId === undefined) {
      const packet = readPacket(data.packet, this.nsp.name);
      if (packet !== null) super.broadcast(packet, opts);
      return;
    }
    // Numbered here: the packet travels without an ack id (socket.io publishes it before
    // numbering it), and the sender's counter would clash with this server's pending acks.
    const packet = readPacket(data.packet, this.nsp.name, this.nextAckId());
    if (packet === null) return;
    this.localAckBroadcast(packet, opts, (answer) =>
      'count' in answer
        ? this.respond(uid, {
            type: MessageType.BROADCAST_CLIENT_COUNT,
            data: { requestId, clientCount: answer.count },
          })
        : this.respond(uid, {
            type: MessageType.BROADCAST_ACK,
            data: { requestId, packet: answer.ack },
          }),
    );
  }

  private answerFetchSockets(uid: string, data: Record<string, unknown>): void {
    const opts = readOptions(data.opts);
    if (opts === null) return;
    super
      .fetchSockets(opts)
      .then((local) => {
        // toWireDetails may run user code (a toJSON in socket.data) and throw: caught below.
        const sockets = local.map(toWireDetails);
        this.respond(uid, {
          type: MessageType.FETCH_SOCKETS_RESPONSE,
          data: { requestId: data.requestId, sockets },
        });
      })
      .catch((err: unknown) => this.reportError(err));
  }

  private onServerSideEmit(uid: string, data: Record<string, unknown>): void {
    if (!Array.isArray(data.packet)) return;
    const args: unknown[] = [...data.packet];
    const requestId = data.requestId;
    if (requestId !== undefined) {
      let answered = false;
      args.push((reply: unknown) => {
        if (answered) return;
        answered = true;
        this.respond(uid, {
          type: MessageType.SERVER_SIDE_EMIT_RESPONSE,
          data: { requestId, packet: reply },
        });
      });
    }
    this.nsp.receiveServerSideEmit(args);
  }
}

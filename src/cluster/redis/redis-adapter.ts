/**
 * `RedisAdapter`: the classic `@socket.io/redis-adapter` (8.x) protocol over Redis pub/sub, byte
 * for byte, so wiregate and socket.io servers share one cluster and `@socket.io/redis-emitter`
 * reaches both. The channels and encodings are described in `classic-protocol.ts`.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Packet } from '../../protocol';
import type {
  AdapterNamespace,
  AdapterSocket,
  BroadcastOptions,
  Room,
  SocketDetails,
  SocketId,
} from '../../server';
import type { Responders } from '../pending-requests';
import { BARRIER_ROOM, RequestingAdapter, type ClusterAdapterOptions } from '../requesting-adapter';
import {
  isObject,
  readDetails,
  readOptions,
  readPacket,
  readRooms,
  toWireDetails,
  toWireOptions,
  toWirePacket,
} from '../wire-shapes';
import { ChannelRouter } from './channel-router';
import {
  classicChannels,
  decodeRequest,
  decodeWith,
  encodeRequest,
  msgpackParser,
  RequestType,
  toBytes,
  type Parser,
} from './classic-protocol';
import type { RedisClient } from './redis-client';
import { subscribeAll, unsubscribeFailedAtClose } from './subscriptions';

/** Options of `createAdapter`. */
export interface RedisAdapterOptions extends ClusterAdapterOptions {
  /**
   * Prefix of every channel: servers that share it form one cluster. Default `socket.io`, as
   * `@socket.io/redis-adapter` and `@socket.io/redis-emitter`, so that a wiregate server joins a
   * socket.io cluster as it is.
   */
  key?: string;
  /**
   * Answer requests on the requester's own channel `<key>-response#<nsp>#<uid>#` instead of the
   * shared `<key>-response#<nsp>#`: less traffic for the others on large clusters. Every server of
   * the cluster must agree on it, as with socket.io. Default false.
   */
  publishOnSpecificResponseChannel?: boolean;
  /** The MessagePack codec of broadcasts (socket.io's option of the same name). Default: notepack.io's format. */
  parser?: Parser;
}

/** Default of `key`: socket.io's. */
export const DEFAULT_KEY = 'socket.io';

/** The uid socket.io's emitters sign their messages with. */
const EMITTER_UID = 'emitter';

type Ack = (...args: unknown[]) => void;
type Request = Record<string, unknown> & { type: number };

/**
 * A cluster adapter over Redis pub/sub that speaks `@socket.io/redis-adapter`'s classic
 * protocol. Build it with {@link createAdapter}.
 *
 * The server count is the number of subscribers of the request channel (`PUBSUB NUMSUB`), as
 * in socket.io. `socketsJoin`, `socketsLeave` and `disconnectSockets`, which socket.io servers
 * do not answer, resolve once every server answered a request sent after them, so once every
 * server applied them.
 *
 * Events (only emitted when someone listens): `error(err)` for failures that have no caller to
 * reject (a publish or a subscription that failed).
 */
export class RedisAdapter extends RequestingAdapter {
  /** This server's id in the cluster (one per namespace and process). */
  readonly uid: string = randomBytes(6).toString('hex');
  /** Broadcasts: `<key>#<nsp>#` (and `<key>#<nsp>#<room>#`). */
  readonly channel: string;
  /** Requests: `<key>-request#<nsp>#`. */
  readonly requestChannel: string;
  /** Responses: `<key>-response#<nsp>#`. */
  readonly responseChannel: string;
  /** Responses to this server only: `<key>-response#<nsp>#<uid>#`. */
  readonly specificResponseChannel: string;
  private readonly parser: Parser;
  private readonly specificResponses: boolean;

  /** @internal Use `createAdapter`. */
  constructor(
    nsp: AdapterNamespace,
    private readonly router: ChannelRouter,
    opts: RedisAdapterOptions,
  ) {
    super(nsp, opts);
    const channels = classicChannels(opts.key ?? DEFAULT_KEY, nsp.name);
    this.channel = channels.channel;
    this.requestChannel = channels.requestChannel;
    this.responseChannel = channels.responseChannel;
    this.specificResponseChannel = `${this.responseChannel}${this.uid}#`;
    this.parser = opts.parser ?? msgpackParser;
    this.specificResponses = opts.publishOnSpecificResponseChannel === true;
  }

  /**
   * Subscribes. Never rejects: when Redis is unreachable at start (the client gave up on the
   * SUBSCRIBE), it reports `error` and keeps retrying in the background, because a client only
   * resubscribes channels it was subscribed to.
   */
  override async init(): Promise<void> {
    await subscribeAll(this.router, this.subscriptions(), this, {
      isClosed: () => this.isClosed,
      onError: (err) => this.reportError(err),
    });
  }

  /** Fails pending requests and unsubscribes. */
  override close(): void {
    if (this.isClosed) return;
    super.close();
    // Not awaited: with Redis down the client would hold it until it reconnects.
    for (const [kind, keys] of this.subscriptions()) {
      this.router.remove(kind, keys, this).catch(unsubscribeFailedAtClose);
    }
  }

  /** Servers running this namespace: the subscribers of the request channel (this one included). */
  override serverCount(): Promise<number> {
    return this.bounded(this.router.countServers('channel', this.requestChannel), 'serverCount');
  }

  /** Sends to the selected sockets of every server: one publish; each server encodes once for its recipients. */
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    // Local first: data that cannot be encoded throws here, before anything was published.
    super.broadcast(packet, opts);
    if (opts.flags?.local) return;
    let channel = this.channel;
    if (opts.rooms.size === 1) channel += `${opts.rooms.values().next().value as Room}#`;
    this.send(channel, () =>
      toBytes(this.parser.encode([this.uid, toWirePacket(packet), toWireOptions(opts)])),
    );
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
    const wire = { packet: toWirePacket(packet), opts: toWireOptions(opts) };
    this.requestAckBroadcast(opts, clientCountCallback, ack, (requestId) =>
      this.router.publish(
        this.requestChannel,
        toBytes(
          this.parser.encode({ uid: this.uid, requestId, type: RequestType.BROADCAST, ...wire }),
        ),
      ),
    );
  }

  /** Ids of the selected sockets on every server. */
  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = await super.sockets(rooms);
    await this.request(
      'sockets',
      (requestId) =>
        this.publishRequest({
          uid: this.uid,
          requestId,
          type: RequestType.SOCKETS,
          rooms: [...rooms],
        }),
      (response) => {
        const found = isObject(response) ? readRooms(response.sockets) : null;
        if (found) for (const id of found) ids.add(id);
      },
    );
    return ids;
  }

  /** Every room of this namespace, on every server. */
  async allRooms(): Promise<Set<Room>> {
    const rooms = new Set(this.rooms.keys());
    await this.request(
      'allRooms',
      (requestId) => this.publishRequest({ uid: this.uid, requestId, type: RequestType.ALL_ROOMS }),
      (response) => {
        const found = isObject(response) ? readRooms(response.rooms) : null;
        if (found) for (const room of found) rooms.add(room);
      },
    );
    return rooms;
  }

  /**
   * The selected sockets of every server: local ones as they are, remote ones as details.
   * @throws WiregateError `WG_ERR_ACK_TIMEOUT` when a server does not answer within `requestsTimeout`.
   */
  override async fetchSockets(opts: BroadcastOptions): Promise<(AdapterSocket | SocketDetails)[]> {
    const found = await super.fetchSockets(opts);
    if (opts.flags?.local) return found;
    const wireOpts = toWireOptions(opts, false);
    await this.request(
      'fetchSockets',
      (requestId) =>
        this.publishRequest({
          uid: this.uid,
          requestId,
          type: RequestType.REMOTE_FETCH,
          opts: wireOpts,
        }),
      (response) => {
        if (!isObject(response) || !Array.isArray(response.sockets)) return;
        for (const item of response.sockets) {
          const details = readDetails(item);
          if (details !== null) found.push(details);
        }
      },
    );
    return found;
  }

  /** The selected sockets of every server join `rooms`; resolves once every server applied it. */
  override async addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    if (opts.flags?.local) return super.addSockets(opts, rooms);
    this.sendRequest({
      uid: this.uid,
      type: RequestType.REMOTE_JOIN,
      opts: toWireOptions(opts, false),
      rooms,
    });
    await Promise.all([super.addSockets(opts, rooms), this.confirm('socketsJoin')]);
  }

  /** The selected sockets of every server leave `rooms`; resolves once every server applied it. */
  override async delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    if (opts.flags?.local) return super.delSockets(opts, rooms);
    this.sendRequest({
      uid: this.uid,
      type: RequestType.REMOTE_LEAVE,
      opts: toWireOptions(opts, false),
      rooms,
    });
    await Promise.all([super.delSockets(opts, rooms), this.confirm('socketsLeave')]);
  }

  /** The selected sockets of every server are disconnected; resolves once every server did it. */
  override async disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    if (opts.flags?.local) return super.disconnectSockets(opts, close);
    this.sendRequest({
      uid: this.uid,
      type: RequestType.REMOTE_DISCONNECT,
      opts: toWireOptions(opts, false),
      close,
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
      this.sendRequest({ uid: this.uid, type: RequestType.SERVER_SIDE_EMIT, data: packet });
      return;
    }
    const data = packet.slice(0, -1);
    this.serverSideEmitWithAck(
      (requestId) =>
        this.publishRequest({ uid: this.uid, requestId, type: RequestType.SERVER_SIDE_EMIT, data }),
      last as (err: Error | null, replies: unknown[]) => void,
    );
  }

  /** @internal The router hands every message of our channels here. Never throws. */
  onRedisMessage(channel: string, message: Buffer): void {
    if (this.isClosed) return;
    try {
      if (channel === this.requestChannel) this.onRequest(message);
      else if (channel === this.responseChannel || channel === this.specificResponseChannel)
        this.onResponse(message);
      else if (channel.startsWith(this.channel)) this.onBroadcast(channel, message);
    } catch (err) {
      this.reportError(err);
    }
  }

  protected async responders(): Promise<Responders> {
    return (await this.serverCount()) - 1;
  }

  /**
   * socket.io servers do not answer socketsJoin & co; a SOCKETS request for an empty room sent
   * after one is answered once each server applied it (Redis keeps one connection's order).
   */
  private confirm(label: string): Promise<void> {
    return this.confirmApplied(label, (requestId) =>
      this.publishRequest({
        uid: this.uid,
        requestId,
        type: RequestType.SOCKETS,
        rooms: [BARRIER_ROOM],
      }),
    );
  }

  private subscriptions(): ['channel' | 'pattern', string[]][] {
    return [
      ['pattern', [`${this.channel}*`]],
      ['channel', [this.requestChannel, this.responseChannel, this.specificResponseChannel]],
    ];
  }

  private onBroadcast(channel: string, message: Buffer): void {
    const room = channel.slice(this.channel.length, -1);
    // A single-room broadcast: servers without the room skip it before decoding.
    if (room !== '' && !this.rooms.has(room)) return;
    const decoded = decodeWith(message, this.parser);
    if (!Array.isArray(decoded) || decoded[0] === this.uid || typeof decoded[0] !== 'string')
      return;
    const [, wirePacket, wireOpts] = decoded as [string, unknown, unknown];
    // socket.io's emitter leaves the main namespace implicit.
    const nsp = isObject(wirePacket) && typeof wirePacket.nsp === 'string' ? wirePacket.nsp : '/';
    if (nsp !== this.nsp.name) return;
    const packet = readPacket(wirePacket, nsp);
    const opts = readOptions(wireOpts);
    if (packet !== null && opts !== null) super.broadcast(packet, opts);
  }

  private onRequest(message: Buffer): void {
    const request = decodeRequest(message, this.parser);
    if (!isObject(request) || typeof request.type !== 'number') return;
    // Our own requests come back to us: they were applied here already.
    if (request.uid === this.uid || this.isPending(request.requestId)) return;
    const req = request as Request;
    switch (req.type) {
      case RequestType.SOCKETS: {
        const rooms = readRooms(req.rooms ?? []);
        if (rooms === null) return;
        super.sockets(new Set(rooms)).then(
          (ids) =>
            this.publishResponse(
              req,
              JSON.stringify({ requestId: req.requestId, sockets: [...ids] }),
            ),
          (err: unknown) => this.reportError(err),
        );
        return;
      }
      case RequestType.ALL_ROOMS:
        return this.publishResponse(
          req,
          JSON.stringify({ requestId: req.requestId, rooms: [...this.rooms.keys()] }),
        );
      case RequestType.REMOTE_JOIN:
      case RequestType.REMOTE_LEAVE:
      case RequestType.REMOTE_DISCONNECT:
        return this.onRemoteOperation(req);
      case RequestType.REMOTE_FETCH:
        return this.answerFetch(req);
      case RequestType.SERVER_SIDE_EMIT:
        return this.onServerSideEmit(req);
      case RequestType.BROADCAST:
        return this.onAckBroadcast(req);
      default:
      // Unknown request types (a newer protocol) are ignored, as socket.io does.
    }
  }

  /** socketsJoin / socketsLeave / disconnectSockets of another server or an emitter. */
  private onRemoteOperation(req: Request): void {
    if (req.opts !== undefined) {
      const opts = readOptions(req.opts);
      if (opts === null) return;
      if (req.type === RequestType.REMOTE_DISCONNECT)
        return this.runLocal(super.disconnectSockets(opts, req.close === true));
      const rooms = readRooms(req.rooms);
      if (rooms === null) return;
      return this.runLocal(
        req.type === RequestType.REMOTE_JOIN
          ? super.addSockets(opts, rooms)
          : super.delSockets(opts, rooms),
      );
    }
    // The older per-socket form (`remoteJoin(id, room)`): answered, because its sender waits.
    const socket = typeof req.sid === 'string' ? this.nsp.sockets.get(req.sid) : undefined;
    if (socket === undefined) return;
    if (req.type === RequestType.REMOTE_DISCONNECT) socket.disconnect(req.close === true);
    else if (typeof req.room !== 'string') return;
    else if (req.type === RequestType.REMOTE_JOIN) void socket.join(req.room);
    else void socket.leave(req.room);
    this.publishResponse(req, JSON.stringify({ requestId: req.requestId }));
  }

  private answerFetch(req: Request): void {
    const opts = readOptions(req.opts);
    if (opts === null) return;
    super
      .fetchSockets(opts)
      .then((local) => {
        // May run user code (a toJSON in socket.data) and throw: caught below.
        const response = { requestId: req.requestId, sockets: local.map(toWireDetails) };
        this.publishResponse(req, encodeRequest(response, this.parser));
      })
      .catch((err: unknown) => this.reportError(err));
  }

  private onServerSideEmit(req: Request): void {
    if (!Array.isArray(req.data)) return;
    const args: unknown[] = [...req.data];
    const requestId = req.requestId;
    if (requestId !== undefined) {
      let answered = false;
      args.push((reply: unknown) => {
        if (answered) return;
        answered = true;
        // socket.io answers these on the shared response channel, whatever the option says.
        this.send(this.responseChannel, () =>
          encodeRequest(
            { type: RequestType.SERVER_SIDE_EMIT, requestId, data: reply },
            this.parser,
          ),
        );
      });
    }
    this.nsp.receiveServerSideEmit(args);
  }

  private onAckBroadcast(req: Request): void {
    const opts = readOptions(req.opts);
    if (opts === null || req.uid === EMITTER_UID) return;
    const requestId = req.requestId;
    // Numbered here: the packet travels without an ack id (socket.io publishes it before
    // numbering it), and the sender's counter would clash with this server's pending acks.
    const packet = readPacket(req.packet, this.nsp.name, this.nextAckId());
    if (packet === null) return;
    this.localAckBroadcast(packet, opts, (answer) =>
      'count' in answer
        ? this.publishResponse(
            req,
            JSON.stringify({
              type: RequestType.BROADCAST_CLIENT_COUNT,
              requestId,
              clientCount: answer.count,
            }),
          )
        : this.publishResponse(req, () =>
            toBytes(
              this.parser.encode({
                type: RequestType.BROADCAST_ACK,
                requestId,
                packet: answer.ack,
              }),
            ),
          ),
    );
  }

  private onResponse(message: Buffer): void {
    const response = decodeRequest(message, this.parser);
    if (!isObject(response) || !this.isPending(response.requestId)) return;
    if (response.type === RequestType.BROADCAST_CLIENT_COUNT) {
      if (typeof response.clientCount === 'number')
        this.answer(response.requestId, undefined, { count: response.clientCount });
    } else if (response.type === RequestType.BROADCAST_ACK) {
      this.answer(response.requestId, undefined, { ack: response.packet });
    } else if (response.type === RequestType.SERVER_SIDE_EMIT) {
      this.answer(response.requestId, undefined, response.data);
    } else {
      this.answer(response.requestId, undefined, response);
    }
  }

  private publishResponse(req: Request, response: Buffer | string | (() => Buffer | string)): void {
    const channel =
      this.specificResponses && typeof req.uid === 'string'
        ? `${this.responseChannel}${req.uid}#`
        : this.responseChannel;
    this.send(channel, typeof response === 'function' ? response : () => response);
  }

  /** Publishes a request; rejects when it cannot be encoded or published. */
  private publishRequest(request: Request): Promise<unknown> {
    try {
      return this.router.publish(this.requestChannel, encodeRequest(request, this.parser));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private sendRequest(request: Request): void {
    this.send(this.requestChannel, () => encodeRequest(request, this.parser));
  }

  /** Encodes and publishes; a failure (encoding included) is reported, never thrown into the void. */
  private send(channel: string, encode: () => Buffer | string): void {
    let bytes: Buffer | string;
    try {
      bytes = encode();
    } catch (err) {
      return this.reportError(err);
    }
    this.router.publish(channel, bytes).catch((err: unknown) => this.reportError(err));
  }
}

/**
 * Builds the adapter for `io.adapter(...)`: every namespace then spans every server — wiregate
 * or socket.io with `@socket.io/redis-adapter` — that uses the same Redis and `key`. Give it two
 * clients (publishing and subscribing need separate connections: `pubClient.duplicate()`) and
 * attach your own `error` listeners to them: wiregate never adds any to clients it did not create.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createAdapter } from 'wiregate/redis';
 *
 * const pubClient = new Redis();
 * const subClient = pubClient.duplicate();
 * pubClient.on('error', console.error);
 * subClient.on('error', console.error);
 * io.adapter(createAdapter(pubClient, subClient, { requestsTimeout: 3000 }));
 */
export function createAdapter(
  pubClient: RedisClient,
  subClient: RedisClient,
  opts: RedisAdapterOptions = {},
): new (nsp: AdapterNamespace) => RedisAdapter {
  const router = new ChannelRouter(pubClient, subClient, false);
  const options = { ...opts };
  return class extends RedisAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, router, options);
    }
  };
}

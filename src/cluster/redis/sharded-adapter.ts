/**
 * `ShardedRedisAdapter`: socket.io-adapter's cluster messages over Redis sharded pub/sub
 * (SPUBLISH/SSUBSCRIBE, Redis 7+), with the channels and encoding of `@socket.io/redis-adapter`'s
 * `createShardedAdapter`, so wiregate and socket.io servers share one sharded cluster.
 * @module
 */
import type { AdapterNamespace, Room } from '../../server';
import { ClusterAdapter } from '../cluster-adapter';
import {
  decodeClusterMessage,
  encodeClusterMessage,
  MessageType,
  type ClusterMessage,
} from '../cluster-messages';
import type { ClusterAdapterOptions } from '../requesting-adapter';
import { ChannelRouter } from './channel-router';
import type { RedisClient } from './redis-client';
import { subscribeAll, unsubscribeFailedAtClose } from './subscriptions';

/**
 * Which channels carry broadcasts to one room:
 * - `static`: none, every message goes through `<prefix>#<nsp>#`;
 * - `dynamic` (default): each public room (not a socket's own room) gets `<prefix>#<nsp>#<room>#`,
 *   subscribed by the servers that have it, so the others do not even receive its broadcasts;
 * - `dynamic-private`: private rooms too (good for many `io.to(socketId)` emits, costly in subscriptions).
 */
export type SubscriptionMode = 'static' | 'dynamic' | 'dynamic-private';

/** Options of `createShardedAdapter` (socket.io's names). */
export interface ShardedRedisAdapterOptions extends ClusterAdapterOptions {
  /** Prefix of every channel: servers that share it form one cluster. Default `socket.io`. */
  channelPrefix?: string;
  /** Default `dynamic`. */
  subscriptionMode?: SubscriptionMode;
}

/** socket.io's ids are 20 characters: a room of that length is taken for a socket's own room. */
const SOCKET_ID_LENGTH = 20;

/**
 * A cluster adapter over Redis sharded pub/sub. Build it with {@link createShardedAdapter}.
 *
 * Channels: `<prefix>#<nsp>#` for every message to all, `<prefix>#<nsp>#<uid>#` for the responses
 * to server `uid`, and `<prefix>#<nsp>#<room>#` for one-room broadcasts in the dynamic modes. The
 * server count is the number of subscribers of `<prefix>#<nsp>#` (`PUBSUB SHARDNUMSUB`).
 */
export class ShardedRedisAdapter extends ClusterAdapter {
  /** Every server of this namespace listens here. */
  readonly channel: string;
  /** Responses to this server. */
  readonly responseChannel: string;
  private readonly mode: SubscriptionMode;
  private readonly onCreateRoom = (room: Room) => {
    if (this.hasOwnChannel(room)) this.subscribeRoom(room);
  };
  private readonly onDeleteRoom = (room: Room) => {
    if (this.hasOwnChannel(room))
      this.router
        .remove('sharded', [this.roomChannel(room)], this)
        .catch((err: unknown) => this.reportError(err));
  };

  /** @internal Use `createShardedAdapter`. */
  constructor(
    nsp: AdapterNamespace,
    private readonly router: ChannelRouter,
    opts: ShardedRedisAdapterOptions,
  ) {
    super(nsp, opts);
    this.channel = `${opts.channelPrefix ?? 'socket.io'}#${nsp.name}#`;
    this.responseChannel = `${this.channel}${this.uid}#`;
    this.mode = opts.subscriptionMode ?? 'dynamic';
    if (this.mode !== 'static') {
      this.on('create-room', this.onCreateRoom);
      this.on('delete-room', this.onDeleteRoom);
    }
  }

  /** Subscribes. Never rejects: a failed SUBSCRIBE is reported as `error` and retried. */
  override async init(): Promise<void> {
    await subscribeAll(this.router, [['sharded', [this.channel, this.responseChannel]]], this, {
      isClosed: () => this.isClosed,
      onError: (err) => this.reportError(err),
    });
  }

  /** Fails pending requests and unsubscribes every channel of this server. */
  override close(): void {
    if (this.isClosed) return;
    super.close();
    this.off('create-room', this.onCreateRoom);
    this.off('delete-room', this.onDeleteRoom);
    const channels = [this.channel, this.responseChannel];
    for (const room of this.rooms.keys())
      if (this.hasOwnChannel(room)) channels.push(this.roomChannel(room));
    // Not awaited: with Redis down the client would hold it until it reconnects.
    this.router.remove('sharded', channels, this).catch(unsubscribeFailedAtClose);
  }

  /** Servers running this namespace: the subscribers of the main channel (this one included). */
  override serverCount(): Promise<number> {
    return this.bounded(this.router.countServers('sharded', this.channel), 'serverCount');
  }

  /** @internal The router hands every message of our channels here. Never throws. */
  onRedisMessage(channel: string, message: Buffer): void {
    const decoded = decodeClusterMessage(message);
    if (decoded === null) return;
    if (channel === this.responseChannel) this.onResponse(decoded);
    else this.onMessage(decoded);
  }

  protected doPublish(message: ClusterMessage): Promise<unknown> {
    return this.router.publish(this.channelOf(message), encodeClusterMessage(message));
  }

  protected doPublishResponse(requesterUid: string, response: ClusterMessage): Promise<unknown> {
    return this.router.publish(`${this.channel}${requesterUid}#`, encodeClusterMessage(response));
  }

  /**
   * A plain broadcast to one room goes to the room's channel (the dynamic modes). Not one with
   * acks: every server must answer it with a count, rooms or not.
   */
  private channelOf(message: ClusterMessage): string {
    if (this.mode === 'static' || message.type !== MessageType.BROADCAST) return this.channel;
    const data = message.data as { requestId?: unknown; opts: { rooms: Room[] } };
    if (data.requestId !== undefined || data.opts.rooms.length !== 1) return this.channel;
    const room = data.opts.rooms[0];
    if (this.mode === 'dynamic' && room.length === SOCKET_ID_LENGTH) return this.channel;
    return this.roomChannel(room);
  }

  /** Whether `room` has a channel of its own in this mode (a public room, or any in dynamic-private). */
  private hasOwnChannel(room: Room): boolean {
    return this.mode === 'dynamic-private' || (this.mode === 'dynamic' && !this.sids.has(room));
  }

  private roomChannel(room: Room): string {
    return `${this.channel}${room}#`;
  }

  private subscribeRoom(room: Room): void {
    this.router
      .add('sharded', [this.roomChannel(room)], this)
      .catch((err: unknown) => this.reportError(err));
  }
}

/**
 * Builds the adapter for `io.adapter(...)` over sharded pub/sub (Redis 7+), as
 * `@socket.io/redis-adapter`'s `createShardedAdapter`: wiregate and socket.io servers with the
 * same `channelPrefix` form one cluster.
 *
 * @example
 * io.adapter(createShardedAdapter(pubClient, subClient, { channelPrefix: 'chat', subscriptionMode: 'static' }));
 */
export function createShardedAdapter(
  pubClient: RedisClient,
  subClient: RedisClient,
  opts: ShardedRedisAdapterOptions = {},
): new (nsp: AdapterNamespace) => ShardedRedisAdapter {
  const router = new ChannelRouter(pubClient, subClient, true);
  const options = { ...opts };
  return class extends ShardedRedisAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, router, options);
    }
  };
}

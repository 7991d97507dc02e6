/**
 * `RedisAdapter`: the cluster protocol carried over Redis pub/sub. This file only publishes
 * and subscribes; what the messages mean is `ClusterAdapter`'s business.
 * @module
 */
import type { AdapterConstructor, AdapterNamespace } from '../../server';
import { ClusterAdapter, type ClusterAdapterOptions } from '../cluster-adapter';
import { publisherOf, subscriberOf, type Publish, type RedisClient, type Subscriber } from './redis-client';

/** Options of `createAdapter`. */
export interface RedisAdapterOptions extends ClusterAdapterOptions {
  /**
   * Prefix of every channel: servers that share it form one cluster. Default `wiregate`
   * (not socket.io's `socket.io`, so both can share a Redis without reading each other's messages).
   */
  key?: string;
  /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7+): spreads namespaces over a Redis Cluster. Default false. */
  sharded?: boolean;
}

/** Default of `key`. */
export const DEFAULT_KEY = 'wiregate';

/** ms before the first new SUBSCRIBE after one failed; doubles up to the max. */
const SUBSCRIBE_RETRY_BASE = 500;
const SUBSCRIBE_RETRY_MAX = 10_000;

/**
 * Routes the messages of one subscriber client to the adapters (one per namespace) that
 * subscribed their channels: one listener on the client however many namespaces there are.
 */
class ChannelRouter {
  /** Channel → its adapters: one, unless one adapter constructor serves several `Server`s. */
  private readonly routes = new Map<string, ClusterAdapter[]>();
  readonly subscriber: Subscriber;
  readonly publish: Publish;

  constructor(pubClient: RedisClient, subClient: RedisClient, sharded: boolean) {
    this.publish = publisherOf(pubClient, sharded);
    this.subscriber = subscriberOf(subClient, sharded, (channel, message) => {
      const adapters = this.routes.get(channel);
      if (adapters !== undefined) for (const adapter of adapters) adapter.onMessage(message);
    });
  }

  /** Routes the channels to `adapter`; returns those nobody listened to yet (to subscribe). */
  add(channels: string[], adapter: ClusterAdapter): string[] {
    const fresh: string[] = [];
    for (const channel of channels) {
      const adapters = this.routes.get(channel);
      if (adapters) adapters.push(adapter);
      else {
        this.routes.set(channel, [adapter]);
        fresh.push(channel);
      }
    }
    return fresh;
  }

  /** Stops routing the channels to `adapter`; unsubscribes those nobody listens to any more. */
  remove(channels: string[], adapter: ClusterAdapter): Promise<unknown> {
    const unused: string[] = [];
    for (const channel of channels) {
      const adapters = this.routes.get(channel)?.filter((a) => a !== adapter);
      if (adapters && adapters.length > 0) this.routes.set(channel, adapters);
      else if (this.routes.delete(channel)) unused.push(channel);
    }
    if (this.routes.size === 0) this.subscriber.release();
    return unused.length > 0 ? this.subscriber.unsubscribe(unused) : Promise.resolve();
  }
}

/**
 * A cluster adapter over Redis pub/sub. Build it with {@link createAdapter}.
 *
 * Channels, per namespace: `<key>#<nsp>#` carries what every server must see (broadcasts,
 * requests, heartbeats) — one channel, so one server's messages arrive in the order it sent them;
 * `<key>-response#<nsp>#<uid>#` carries the answers to server `uid`'s requests.
 */
export class RedisAdapter extends ClusterAdapter {
  /** The channel every server of this namespace listens to. */
  readonly channel: string;
  /** The channel of the answers to this server. */
  readonly responseChannel: string;
  private readonly prefix: string;

  /** @internal Use `createAdapter`. */
  constructor(
    nsp: AdapterNamespace,
    private readonly router: ChannelRouter,
    opts: RedisAdapterOptions,
  ) {
    super(nsp, opts);
    const key = opts.key ?? DEFAULT_KEY;
    this.channel = `${key}#${nsp.name}#`;
    this.prefix = `${key}-response#${nsp.name}#`;
    this.responseChannel = `${this.prefix}${this.uid}#`;
  }

  /**
   * Subscribes, then announces this server. Never rejects: when Redis is unreachable at start
   * (the client gave up on the SUBSCRIBE), it reports `error` and keeps retrying in the
   * background, because a client only resubscribes channels it was subscribed to.
   */
  override async init(): Promise<void> {
    const channels = this.router.add([this.channel, this.responseChannel], this);
    if (channels.length > 0) {
      try {
        await this.router.subscriber.subscribe(channels);
      } catch (err) {
        this.reportError(err);
        this.retrySubscribe(channels, 0);
      }
    }
    await super.init();
  }

  /** Announces the departure and unsubscribes. */
  override async close(): Promise<void> {
    await super.close();
    // Not awaited: with Redis down, the client would hold it until it reconnects. A failure
    // leaves nothing to undo: the routes are gone already.
    this.router.remove([this.channel, this.responseChannel], this).catch((err: unknown) => this.reportError(err));
  }

  private retrySubscribe(channels: string[], attempt: number): void {
    const delay = Math.min(SUBSCRIBE_RETRY_BASE * 2 ** attempt, SUBSCRIBE_RETRY_MAX);
    setTimeout(() => {
      if (this.isClosed) return;
      this.router.subscriber.subscribe(channels).then(
        // Announce again: the others may have answered our first heartbeat while we were deaf.
        () => this.announce(),
        (err: unknown) => {
          this.reportError(err);
          this.retrySubscribe(channels, attempt + 1);
        },
      );
    }, delay).unref();
  }

  protected publish(message: Buffer): Promise<unknown> {
    return this.router.publish(this.channel, message);
  }

  protected publishTo(uid: string, message: Buffer): Promise<unknown> {
    return this.router.publish(`${this.prefix}${uid}#`, message);
  }
}

/**
 * Builds the adapter for `io.adapter(...)`: every namespace then spans every server that uses the
 * same Redis and `key`. Give it two clients — publishing and subscribing need separate connections
 * (`pubClient.duplicate()`) — and attach your own `error` listeners to them: wiregate never adds
 * any to clients it did not create.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createAdapter } from 'wiregate/redis';
 *
 * const pubClient = new Redis();
 * const subClient = pubClient.duplicate();
 * pubClient.on('error', console.error);
 * subClient.on('error', console.error);
 * io.adapter(createAdapter(pubClient, subClient, { key: 'chat', requestsTimeout: 3000 }));
 */
export function createAdapter(
  pubClient: RedisClient,
  subClient: RedisClient,
  opts: RedisAdapterOptions = {},
): AdapterConstructor<RedisAdapter> {
  const router = new ChannelRouter(pubClient, subClient, opts.sharded === true);
  const options = { ...opts };
  return class extends RedisAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, router, options);
    }
  };
}

/** Options of `createShardedAdapter`: `createAdapter`'s, with socket.io's `channelPrefix` name for `key`. */
export interface ShardedRedisAdapterOptions extends Omit<RedisAdapterOptions, 'sharded'> {
  /** Same as `key` (the name `@socket.io/redis-adapter` uses for its sharded adapter). */
  channelPrefix?: string;
}

/**
 * `createAdapter` with sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7+), under the name
 * `@socket.io/redis-adapter` gives it. Channels are per namespace, as its `static` mode.
 *
 * @example
 * io.adapter(createShardedAdapter(pubClient, subClient, { channelPrefix: 'chat' }));
 */
export function createShardedAdapter(
  pubClient: RedisClient,
  subClient: RedisClient,
  opts: ShardedRedisAdapterOptions = {},
): AdapterConstructor<RedisAdapter> {
  const { channelPrefix, ...rest } = opts;
  return createAdapter(pubClient, subClient, { ...rest, key: rest.key ?? channelPrefix, sharded: true });
}

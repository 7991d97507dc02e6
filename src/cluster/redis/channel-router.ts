/**
 * Routes the messages of one subscriber client to the adapters (one per namespace, and per
 * `Server` when one adapter constructor serves several) that listen to each channel or pattern:
 * one listener on the client however many namespaces there are, and a channel is subscribed
 * once and unsubscribed when its last adapter leaves.
 * @module
 */
import {
  countSubscribers,
  publisherOf,
  subscriberOf,
  type Publish,
  type RedisClient,
  type Subscriber,
  type SubscriptionKind,
} from './redis-client';

/** What the router hands messages to. */
export interface RoutedAdapter {
  /** A message on `channel` (matched by a pattern or a channel this adapter listens to). */
  onRedisMessage(channel: string, message: Buffer): void;
}

/** One pair of clients, shared by every adapter one `createAdapter` call builds. */
export class ChannelRouter {
  /** `kind:key` → its adapters. */
  private readonly routes = new Map<string, RoutedAdapter[]>();
  private readonly subscribers = new Map<SubscriptionKind, Subscriber>();
  /** `kind:key` → its SUBSCRIBE while in flight (Redis does not count us before it completes). */
  private readonly subscribing = new Map<string, Promise<unknown>>();
  readonly publish: Publish;

  constructor(
    private readonly pubClient: RedisClient,
    private readonly subClient: RedisClient,
    private readonly sharded: boolean,
  ) {
    this.publish = publisherOf(pubClient, sharded);
  }

  /** Routes the channels (or patterns) to `adapter`, subscribing those nobody listened to yet. */
  add(kind: SubscriptionKind, keys: string[], adapter: RoutedAdapter): Promise<unknown> {
    const fresh: string[] = [];
    for (const key of keys) {
      const adapters = this.routes.get(`${kind}:${key}`);
      if (adapters) adapters.push(adapter);
      else {
        this.routes.set(`${kind}:${key}`, [adapter]);
        fresh.push(key);
      }
    }
    return fresh.length > 0 ? this.subscribe(kind, fresh) : Promise.resolve();
  }

  /** Subscribes again (after a failed SUBSCRIBE) whatever of `keys` is still routed. */
  resubscribe(kind: SubscriptionKind, keys: string[]): Promise<unknown> {
    const live = keys.filter((key) => this.routes.has(`${kind}:${key}`));
    return live.length > 0 ? this.subscribe(kind, live) : Promise.resolve();
  }

  /** Stops routing to `adapter`; unsubscribes what nobody listens to any more. */
  remove(kind: SubscriptionKind, keys: string[], adapter: RoutedAdapter): Promise<unknown> {
    const unused: string[] = [];
    for (const key of keys) {
      const route = `${kind}:${key}`;
      const adapters = this.routes.get(route)?.filter((a) => a !== adapter);
      if (adapters && adapters.length > 0) this.routes.set(route, adapters);
      else if (this.routes.delete(route)) unused.push(key);
    }
    const subscriber = this.subscribers.get(kind);
    if (!subscriber || unused.length === 0) return Promise.resolve();
    const done = subscriber.unsubscribe(unused);
    if (![...this.routes.keys()].some((route) => route.startsWith(`${kind}:`))) {
      subscriber.release();
      this.subscribers.delete(kind);
    }
    return done;
  }

  /** How many adapters of this process listen to `channel` (they share one Redis connection). */
  localListeners(kind: SubscriptionKind, channel: string): number {
    return this.routes.get(`${kind}:${channel}`)?.length ?? 0;
  }

  /**
   * Servers listening to `channel`: Redis counts connections (PUBSUB NUMSUB / SHARDNUMSUB), and
   * the adapters of this process that share our connection count once there, so they are added.
   */
  async countServers(kind: SubscriptionKind, channel: string): Promise<number> {
    // Our own SUBSCRIBE goes out on the other connection: counted before it completed, this
    // server would not count itself (a lone server would see 0). A failed one is retried and
    // reported elsewhere; the count then goes on without us.
    const inFlight = this.subscribing.get(`${kind}:${channel}`);
    if (inFlight !== undefined) await inFlight.catch(() => undefined);
    const connections = await countSubscribers(this.pubClient, this.sharded, channel);
    return connections + Math.max(0, this.localListeners(kind, channel) - 1);
  }

  /** Sends one SUBSCRIBE for `keys`, remembered as in flight until it settles. */
  private subscribe(kind: SubscriptionKind, keys: string[]): Promise<unknown> {
    const done = this.subscriber(kind).subscribe(keys);
    for (const key of keys) {
      const route = `${kind}:${key}`;
      this.subscribing.set(route, done);
      const settled = () => {
        if (this.subscribing.get(route) === done) this.subscribing.delete(route);
      };
      done.then(settled, settled);
    }
    return done;
  }

  private subscriber(kind: SubscriptionKind): Subscriber {
    let subscriber = this.subscribers.get(kind);
    if (!subscriber) {
      subscriber = subscriberOf(this.subClient, kind, (key, channel, message) => {
        const adapters = this.routes.get(`${kind}:${key}`);
        if (adapters !== undefined)
          for (const adapter of adapters) adapter.onRedisMessage(channel, message);
      });
      this.subscribers.set(kind, subscriber);
    }
    return subscriber;
  }
}

/**
 * The little the Redis adapter needs from a Redis client (publish, subscribe, unsubscribe with
 * Buffer payloads), for ioredis and node-redis (v4+) clients alike. Only shapes: wiregate never
 * loads a Redis library itself, the user passes the clients.
 * @module
 */

/** The ioredis methods we use (ioredis 5.3+; `Redis` or `Cluster`). */
export interface IoRedisLikeClient {
  publish(channel: string, message: Buffer): Promise<unknown>;
  spublish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(...channels: string[]): Promise<unknown>;
  ssubscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  sunsubscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type NodeRedisListener = (message: Buffer, channel: Buffer | string) => void;

/** The node-redis (v4+) methods we use. */
export interface NodeRedisLikeClient {
  publish(channel: string, message: Buffer): Promise<unknown>;
  sPublish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(channels: string | string[], listener: NodeRedisListener, bufferMode: true): Promise<unknown>;
  sSubscribe(channels: string | string[], listener: NodeRedisListener, bufferMode: true): Promise<unknown>;
  unsubscribe(channels: string | string[], listener: NodeRedisListener, bufferMode: true): Promise<unknown>;
  sUnsubscribe(channels: string | string[], listener: NodeRedisListener, bufferMode: true): Promise<unknown>;
}

/** A client `createAdapter` accepts: an ioredis or a node-redis (v4+) client. */
export type RedisClient = IoRedisLikeClient | NodeRedisLikeClient;

/** Publishes with plain or sharded pub/sub. */
export type Publish = (channel: string, message: Buffer) => Promise<unknown>;

/** Receives every message of the channels it routes: one listener per subscriber client. */
export type Route = (channel: string, message: Buffer) => void;

/** Subscription handle over one subscriber client. */
export interface Subscriber {
  subscribe(channels: string[]): Promise<unknown>;
  unsubscribe(channels: string[]): Promise<unknown>;
  /** Nothing is subscribed any more: let go of the client (remove our listener). */
  release(): void;
}

function isNodeRedis(client: RedisClient): client is NodeRedisLikeClient {
  return typeof (client as NodeRedisLikeClient).sSubscribe === 'function';
}

/** The publish function of a client (SPUBLISH when `sharded`). */
export function publisherOf(client: RedisClient, sharded: boolean): Publish {
  if (isNodeRedis(client)) {
    return sharded ? (channel, message) => client.sPublish(channel, message) : (channel, message) => client.publish(channel, message);
  }
  return sharded ? (channel, message) => client.spublish(channel, message) : (channel, message) => client.publish(channel, message);
}

/**
 * A subscriber that hands every message to `route` (SSUBSCRIBE when `sharded`). On ioredis the
 * one `messageBuffer` listener is attached while something is subscribed, and ioredis itself
 * resubscribes after a reconnect (`autoResubscribe`, on by default); node-redis does the same.
 */
export function subscriberOf(client: RedisClient, sharded: boolean, route: Route): Subscriber {
  return isNodeRedis(client) ? nodeRedisSubscriber(client, sharded, route) : ioRedisSubscriber(client, sharded, route);
}

function ioRedisSubscriber(client: IoRedisLikeClient, sharded: boolean, route: Route): Subscriber {
  const event = sharded ? 'smessageBuffer' : 'messageBuffer';
  const listener = (channel: Buffer, message: Buffer) => route(channel.toString(), message);
  let attached = false;
  return {
    subscribe(channels) {
      if (!attached) client.on(event, listener);
      attached = true;
      return sharded ? client.ssubscribe(...channels) : client.subscribe(...channels);
    },
    unsubscribe: (channels) => (sharded ? client.sunsubscribe(...channels) : client.unsubscribe(...channels)),
    release() {
      if (attached) client.off(event, listener);
      attached = false;
    },
  };
}

function nodeRedisSubscriber(client: NodeRedisLikeClient, sharded: boolean, route: Route): Subscriber {
  const listener: NodeRedisListener = (message, channel) => route(channel.toString(), message);
  return {
    subscribe: (channels) =>
      sharded ? client.sSubscribe(channels, listener, true) : client.subscribe(channels, listener, true),
    unsubscribe: (channels) =>
      sharded ? client.sUnsubscribe(channels, listener, true) : client.unsubscribe(channels, listener, true),
    // node-redis keeps listeners per channel: unsubscribing removed them already.
    release: () => undefined,
  };
}

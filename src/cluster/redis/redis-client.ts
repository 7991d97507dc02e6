/**
 * The little the Redis adapters need from a Redis client (publish, subscribe by channel or
 * pattern, plain or sharded, and the PUBSUB counters), for ioredis and node-redis (v4+) clients
 * alike. Only shapes: wiregate never loads a Redis library itself, the user passes the clients.
 * @module
 */

/** The ioredis methods we use (ioredis 5.3+; `Redis` or `Cluster`). */
export interface IoRedisLikeClient {
  publish(channel: string, message: Buffer | string): Promise<unknown>;
  spublish(channel: string, message: Buffer | string): Promise<unknown>;
  subscribe(...channels: string[]): Promise<unknown>;
  ssubscribe(...channels: string[]): Promise<unknown>;
  psubscribe(...patterns: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  sunsubscribe(...channels: string[]): Promise<unknown>;
  punsubscribe(...patterns: string[]): Promise<unknown>;
  call(command: string, ...args: string[]): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type NodeRedisListener = (message: Buffer, channel: Buffer | string) => void;

/** The node-redis (v4+) methods we use. */
export interface NodeRedisLikeClient {
  publish(channel: string, message: Buffer | string): Promise<unknown>;
  sPublish(channel: string, message: Buffer | string): Promise<unknown>;
  subscribe(
    channels: string | string[],
    listener: NodeRedisListener,
    bufferMode: true,
  ): Promise<unknown>;
  sSubscribe(
    channels: string | string[],
    listener: NodeRedisListener,
    bufferMode: true,
  ): Promise<unknown>;
  pSubscribe(
    patterns: string | string[],
    listener: NodeRedisListener,
    bufferMode: true,
  ): Promise<unknown>;
  unsubscribe(
    channels: string | string[],
    listener: NodeRedisListener,
    bufferMode: true,
  ): Promise<unknown>;
  sUnsubscribe(
    channels: string | string[],
    listener: NodeRedisListener,
    bufferMode: true,
  ): Promise<unknown>;
  pUnsubscribe(
    patterns: string | string[],
    listener: NodeRedisListener,
    bufferMode: true,
  ): Promise<unknown>;
  sendCommand(...args: any[]): Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A client the adapters accept: an ioredis or a node-redis (v4+) client. */
export type RedisClient = IoRedisLikeClient | NodeRedisLikeClient;

/** How a subscription listens: plain channels, patterns (PSUBSCRIBE) or sharded channels (SSUBSCRIBE). */
export type SubscriptionKind = 'channel' | 'pattern' | 'sharded';

/** Publishes with plain or sharded pub/sub. */
export type Publish = (channel: string, message: Buffer | string) => Promise<unknown>;

/** Receives every message of what it routes: `key` is the channel, or the pattern that matched. */
export type Route = (key: string, channel: string, message: Buffer) => void;

/** Subscription handle over one subscriber client, for one kind of subscription. */
export interface Subscriber {
  subscribe(keys: string[]): Promise<unknown>;
  unsubscribe(keys: string[]): Promise<unknown>;
  /** Nothing is subscribed any more: let go of the client (remove our listener). */
  release(): void;
}

function isNodeRedis(client: RedisClient): client is NodeRedisLikeClient {
  return typeof (client as NodeRedisLikeClient).sSubscribe === 'function';
}

/** The publish function of a client (SPUBLISH when `sharded`). */
export function publisherOf(client: RedisClient, sharded: boolean): Publish {
  if (isNodeRedis(client)) {
    return sharded
      ? (channel, message) => client.sPublish(channel, message)
      : (channel, message) => client.publish(channel, message);
  }
  return sharded
    ? (channel, message) => client.spublish(channel, message)
    : (channel, message) => client.publish(channel, message);
}

/**
 * A subscriber that hands every message to `route`. On ioredis the one buffer listener is
 * attached while something is subscribed, and ioredis itself resubscribes after a reconnect
 * (`autoResubscribe`, on by default); node-redis does the same.
 */
export function subscriberOf(
  client: RedisClient,
  kind: SubscriptionKind,
  route: Route,
): Subscriber {
  return isNodeRedis(client)
    ? nodeRedisSubscriber(client, kind, route)
    : ioRedisSubscriber(client, kind, route);
}

function ioRedisSubscriber(
  client: IoRedisLikeClient,
  kind: SubscriptionKind,
  route: Route,
): Subscriber {
  let event: string;
  let listener: (...args: Buffer[]) => void;
  if (kind === 'pattern') {
    event = 'pmessageBuffer';
    listener = (pattern, channel, message) =>
      route(pattern.toString(), channel.toString(), message);
  } else {
    event = kind === 'sharded' ? 'smessageBuffer' : 'messageBuffer';
    listener = (channel, message) => {
      const name = channel.toString();
      route(name, name, message);
    };
  }
  let attached = false;
  return {
    subscribe(keys) {
      if (!attached) client.on(event, listener);
      attached = true;
      if (kind === 'pattern') return client.psubscribe(...keys);
      return kind === 'sharded' ? client.ssubscribe(...keys) : client.subscribe(...keys);
    },
    unsubscribe(keys) {
      if (kind === 'pattern') return client.punsubscribe(...keys);
      return kind === 'sharded' ? client.sunsubscribe(...keys) : client.unsubscribe(...keys);
    },
    release() {
      if (attached) client.off(event, listener);
      attached = false;
    },
  };
}

function nodeRedisSubscriber(
  client: NodeRedisLikeClient,
  kind: SubscriptionKind,
  route: Route,
): Subscriber {
  // node-redis calls a listener per channel or pattern, without saying which pattern matched: one
  // listener per key tells us.
  const listeners = new Map<string, NodeRedisListener>();
  const listenerFor = (key: string): NodeRedisListener => {
    let listener = listeners.get(key);
    if (!listener) {
      listener = (message, channel) => route(key, channel.toString(), message);
      listeners.set(key, listener);
    }
    return listener;
  };
  const each = (
    keys: string[],
    fn: (key: string, listener: NodeRedisListener) => Promise<unknown>,
  ) => Promise.all(keys.map((key) => fn(key, listenerFor(key))));
  return {
    subscribe: (keys) =>
      each(keys, (key, l) =>
        kind === 'pattern'
          ? client.pSubscribe(key, l, true)
          : kind === 'sharded'
            ? client.sSubscribe(key, l, true)
            : client.subscribe(key, l, true),
      ),
    // One at a time: node-redis v4 mishandles several channels in one UNSUBSCRIBE with listeners.
    unsubscribe: (keys) =>
      each(keys, (key, l) => {
        listeners.delete(key);
        return kind === 'pattern'
          ? client.pUnsubscribe(key, l, true)
          : kind === 'sharded'
            ? client.sUnsubscribe(key, l, true)
            : client.unsubscribe(key, l, true);
      }),
    // node-redis keeps listeners per channel: unsubscribing removed them already.
    release: () => undefined,
  };
}

interface IoRedisClusterLike {
  isCluster: true;
  nodes(role: 'master'): IoRedisLikeClient[];
}

interface NodeRedisClusterLike {
  masters: { client?: NodeRedisLikeClient | Promise<NodeRedisLikeClient> }[];
}

/**
 * `PUBSUB NUMSUB <channel>` (or `SHARDNUMSUB`): how many connections listen to the channel,
 * summed over the masters of a Redis Cluster.
 */
export async function countSubscribers(
  client: RedisClient,
  sharded: boolean,
  channel: string,
): Promise<number> {
  const sub = sharded ? 'SHARDNUMSUB' : 'NUMSUB';
  const count = async (reply: Promise<unknown>) => {
    const value = (await reply) as unknown[];
    return Number(value[1]) || 0;
  };
  if ((client as unknown as IoRedisClusterLike).isCluster === true) {
    const nodes = (client as unknown as IoRedisClusterLike).nodes('master');
    return sum(await Promise.all(nodes.map((node) => count(node.call('PUBSUB', sub, channel)))));
  }
  if (isNodeRedis(client)) {
    const masters = (client as unknown as NodeRedisClusterLike).masters;
    if (Array.isArray(masters)) {
      const clients = await Promise.all(masters.map((m) => m.client));
      return sum(
        await Promise.all(
          clients.map((c) => (c ? count(c.sendCommand(['PUBSUB', sub, channel])) : 0)),
        ),
      );
    }
    return count(client.sendCommand(['PUBSUB', sub, channel]));
  }
  return count(client.call('PUBSUB', sub, channel));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

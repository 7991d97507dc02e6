/**
 * wiregate/redis: Redis cluster adapters that speak `@socket.io/redis-adapter` 8.x's wire format
 * (docs/scaling.md), and the `ClusterAdapter` classes to build other transports on
 * socket.io-adapter's cluster protocol.
 * @module
 */
export { createAdapter, RedisAdapter, DEFAULT_KEY } from './cluster/redis/redis-adapter';
export type { RedisAdapterOptions } from './cluster/redis/redis-adapter';
export type { Parser } from './cluster/redis/classic-protocol';
export { createShardedAdapter, ShardedRedisAdapter } from './cluster/redis/sharded-adapter';
export type { ShardedRedisAdapterOptions, SubscriptionMode } from './cluster/redis/sharded-adapter';
export type {
  RedisClient,
  IoRedisLikeClient,
  NodeRedisLikeClient,
} from './cluster/redis/redis-client';
export { ClusterAdapter } from './cluster/cluster-adapter';
export {
  ClusterAdapterWithHeartbeat,
  DEFAULT_HEARTBEAT_INTERVAL,
  DEFAULT_HEARTBEAT_TIMEOUT,
} from './cluster/cluster-adapter-with-heartbeat';
export type { ClusterAdapterWithHeartbeatOptions } from './cluster/cluster-adapter-with-heartbeat';
export { DEFAULT_REQUESTS_TIMEOUT } from './cluster/requesting-adapter';
export type { ClusterAdapterOptions } from './cluster/requesting-adapter';
export {
  MessageType,
  encodeClusterMessage,
  decodeClusterMessage,
} from './cluster/cluster-messages';
export type { ClusterMessage } from './cluster/cluster-messages';

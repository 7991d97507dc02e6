/**
 * wiregate/redis: the Redis cluster adapter (docs/scaling.md).
 * @module
 */
export { createAdapter, createShardedAdapter, RedisAdapter, DEFAULT_KEY } from './cluster/redis/redis-adapter';
export type { RedisAdapterOptions, ShardedRedisAdapterOptions } from './cluster/redis/redis-adapter';
export type { RedisClient, IoRedisLikeClient, NodeRedisLikeClient } from './cluster/redis/redis-client';
export {
  ClusterAdapter,
  DEFAULT_REQUESTS_TIMEOUT,
  DEFAULT_HEARTBEAT_INTERVAL,
  DEFAULT_HEARTBEAT_TIMEOUT,
} from './cluster/cluster-adapter';
export type { ClusterAdapterOptions } from './cluster/cluster-adapter';

/**
 * (b) socket.io 4.8 with the bare handlers; with BENCH_REDIS=1, with @socket.io/redis-adapter.
 * @module
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { redisKey, redisPair, startBare, type IoLike } from './bare';
import { serve, versionOf } from './harness';

serve(() =>
  startBare(
    (http, opts) => new Server(http, opts) as unknown as IoLike,
    `socket.io ${versionOf('socket.io')}`,
    process.env.BENCH_REDIS === '1'
      ? async (io) => {
          const { pub, sub } = await redisPair();
          io.adapter(createAdapter(pub as never, sub as never, { key: redisKey() }));
          return `@socket.io/redis-adapter ${versionOf('@socket.io/redis-adapter')} on ioredis ${versionOf('ioredis')}`;
        }
      : undefined,
  ),
);

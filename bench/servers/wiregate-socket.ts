/**
 * (c) wiregate's socket layer alone (`new Server(...)` from the built dist/server) with the
 * same bare handlers as socket.io.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ROOT } from '../lib/paths';
import { redisKey, redisPair, startBare, type IoFactory, type IoLike } from './bare';
import { serve, Unavailable, versionOf } from './harness';

serve(async () => {
  const entry = join(DIST, 'server', 'index.js');
  if (!existsSync(entry)) throw new Unavailable(`${entry} missing: run npm run build`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Server } = require(entry) as { Server: new (http: unknown, opts: unknown) => IoLike };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require(join(ROOT, 'package.json')) as { version: string }).version;
  const factory: IoFactory = (http, opts) => new Server(http, opts);
  return startBare(
    factory,
    `wiregate ${version}`,
    process.env.BENCH_REDIS === '1' ? installRedis : undefined,
  );
});

async function installRedis(io: IoLike): Promise<string> {
  const entry = join(DIST, 'redis.js');
  if (!existsSync(entry)) throw new Unavailable(`${entry} missing: wiregate/redis is not built`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createAdapter } = require(entry) as {
    createAdapter: (pub: unknown, sub: unknown, opts: object) => unknown;
  };
  const { pub, sub } = await redisPair();
  io.adapter(createAdapter(pub, sub, { key: redisKey() }));
  return `wiregate/redis on ioredis ${versionOf('ioredis')}`;
}

// The server suite's harness (test/support/harness.ts) with the Redis adapter on every server it
// starts: `npx jest -c test/cluster/over-redis/jest.config.js test/server` runs the whole
// single-server suite through the cluster adapter, to catch single-server behaviour it changes.
// Known difference: server.test.ts's `.failing` engine test passes here (closing waits on the
// adapter, which changes the race it documents), so jest reports it.
import { Redis } from 'ioredis';
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '../../../src/redis';
import type { ServerOptions } from '../../../src/server';
import * as real from '../../support/harness';

export * from '../../support/harness';

let count = 0;

export async function startServer(opts: ServerOptions = {}, httpServer?: HttpServer): Promise<real.Harness> {
  const pub = new Redis();
  const sub = new Redis();
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  const key = `over-redis-${process.pid}-${count++}`;
  const h = await real.startServer({ adapter: createAdapter(pub, sub, { key }), ...opts }, httpServer);
  const close = h.close.bind(h);
  h.close = async () => {
    await close();
    pub.disconnect();
    sub.disconnect();
  };
  return h;
}

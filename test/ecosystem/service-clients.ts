// Clients of the shared services for the ecosystem tests (PostgreSQL pools and tables, Redis
// clients of both libraries), each closed or dropped by closeAll.
import { createClient } from '@redis/client';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PG, REDIS, onCleanup, uniqueName } from './ecosystem-harness';

/**
 * A pool of one server. Two connections: the adapter holds one for LISTEN, and all its queries
 * share the other, so its NOTIFYs go out in the order it published them. (With more, two
 * broadcasts emitted back to back may commit in either order: the adapter does not keep a
 * server's messages in order then, with socket.io as with wiregate.)
 */
export function serverPool(): Pool {
  const pool = new Pool({ ...PG, max: 2 });
  // An idle client whose server went away emits 'error' on the pool; the adapter's own error
  // paths report what matters.
  pool.on('error', () => undefined);
  onCleanup(() => pool.end());
  return pool;
}

/** An attachments table and a channel prefix of this test's own, dropped at cleanup. */
export async function postgresTable(): Promise<{ tableName: string; channelPrefix: string }> {
  const pool = new Pool({ ...PG, max: 1 });
  const tableName = uniqueName('wg_io_attachments');
  await pool.query(
    `CREATE TABLE ${tableName} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
  );
  onCleanup(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${tableName}`).catch(() => undefined);
    await pool.end();
  });
  return { tableName, channelPrefix: uniqueName('wg') };
}

/** An ioredis client, disconnected at cleanup. */
export function ioredisClient(): Redis {
  const client = new Redis({ ...REDIS, lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined); // a test that stops the connection on purpose
  onCleanup(() => client.disconnect());
  return client;
}

/**
 * A connected node-redis client, closed at cleanup: gracefully, because the adapters leave
 * commands unawaited on close (UNSUBSCRIBE…) and `destroy()` would reject them unhandled.
 */
export async function nodeRedisClient() {
  const client = createClient({ socket: { host: REDIS.host, port: REDIS.port } });
  client.on('error', () => undefined);
  await client.connect();
  onCleanup(() => (client.isOpen ? client.close() : undefined));
  return client;
}

// @socket.io/postgres-adapter (LISTEN/NOTIFY, attachments table for binary and large payloads)
// on the machine's PostgreSQL: two servers in this process, once socket.io 4.8 and once wiregate,
// run the same cross-server scenario, and official clients must observe the same thing.
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import {
  IMPLS,
  PG,
  closeAll,
  onCleanup,
  postgresService,
  startServer,
  uniqueName,
  type Impl,
} from './ecosystem-harness';
import { expectScenario, runCrossServerScenario, type Observations } from './cross-server-scenario';

const pg = postgresService();
afterEach(closeAll);

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

async function scenario(impl: Impl): Promise<Observations> {
  const { tableName, channelPrefix } = await postgresTable();
  // A pool and an adapter factory per server, as two processes would have.
  const options = { tableName, channelPrefix, heartbeatInterval: 500, heartbeatTimeout: 3000 };
  const a = await startServer(impl, 'A', createAdapter(serverPool(), options));
  const b = await startServer(impl, 'B', createAdapter(serverPool(), options));
  try {
    return await runCrossServerScenario(a.url, b.url);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

pg.describe('@socket.io/postgres-adapter 0.5.0 on wiregate, compared with socket.io 4.8', () => {
  beforeAll(() => pg.require());

  it('two servers: broadcasts both ways (binary too), rooms, fetchSockets, socketsJoin/Leave, serverSideEmit(WithAck), broadcast acks, disconnectSockets', async () => {
    const seen: Partial<Record<Impl, Observations>> = {};
    for (const impl of IMPLS) {
      seen[impl] = await scenario(impl);
      await closeAll();
    }
    expectScenario(seen['socket.io']!);
    expect(seen.wiregate).toEqual(seen['socket.io']);
  }, 90_000);
});

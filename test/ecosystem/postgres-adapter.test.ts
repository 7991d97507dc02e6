// @socket.io/postgres-adapter (LISTEN/NOTIFY, attachments table for binary and large payloads)
// on the machine's PostgreSQL: two servers in this process, once socket.io 4.8 and once wiregate,
// run the same cross-server scenario, and official clients must observe the same thing.
import { createAdapter } from '@socket.io/postgres-adapter';
import { IMPLS, closeAll, postgresService, startServer, type Impl } from './ecosystem-harness';
import { postgresTable, serverPool } from './service-clients';
import { expectScenario, runCrossServerScenario, type Observations } from './cross-server-scenario';

const pg = postgresService();
afterEach(closeAll);

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

  it('two servers: broadcasts both ways (binary too), rooms, fetchSockets, RemoteSocket emit/join, socketsJoin/Leave, serverSideEmit(WithAck), broadcast acks, disconnectSockets', async () => {
    const seen: Partial<Record<Impl, Observations>> = {};
    for (const impl of IMPLS) {
      seen[impl] = await scenario(impl);
      await closeAll();
    }
    expectScenario(seen['socket.io']!);
    expect(seen.wiregate).toEqual(seen['socket.io']);
  }, 90_000);
});

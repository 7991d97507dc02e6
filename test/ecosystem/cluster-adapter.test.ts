// @socket.io/cluster-adapter across two Node cluster workers (a primary child process with the
// package's setupPrimary(); test/fixtures/ecosystem/cluster-*.ts), once with socket.io 4.8
// workers and once with wiregate workers run from TypeScript source. Official clients connect to
// each worker directly and must observe the same thing; no worker may exit or fault.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { IMPLS, closeAll, onCleanup, within, type Impl } from './ecosystem-harness';
import { expectScenario, runCrossServerScenario, type Observations } from './cross-server-scenario';

afterEach(closeAll);

interface Cluster {
  /** Worker name → url. */
  urls: Record<string, string>;
  /** `{exit}` and `{fault}` lines: a worker that exited early, a fault inside a worker. */
  incidents: unknown[];
  stop(): Promise<number | null>;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Starts the primary with two workers of `impl`; resolves once both listen. */
async function startCluster(impl: Impl): Promise<Cluster> {
  const primary = spawn(
    process.execPath,
    [
      '-r',
      path.join(FIXTURES, 'cluster', 'register.js'),
      path.join(FIXTURES, 'ecosystem', 'cluster-primary.ts'),
    ],
    { env: { ...process.env, WG_IMPL: impl }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) =>
    primary.once('exit', (code) => resolve(code)),
  );
  let stopped: Promise<number | null> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      primary.stdin!.end(); // the primary stops its workers (SIGTERM, io.close()) and exits
      try {
        return await within(10_000, 'the cluster primary to exit', exited);
      } catch (err) {
        primary.kill('SIGKILL');
        await exited;
        throw err;
      }
    })());
  onCleanup(stop);
  const urls: Record<string, string> = {};
  const incidents: unknown[] = [];
  const lines = createInterface({ input: primary.stdout! });
  // Two workers compile wiregate from source with swc on a 2-core machine: be generous.
  await within(
    60_000,
    `two ${impl} cluster workers to listen`,
    new Promise<void>((resolve, reject) => {
      primary.once('exit', (code) =>
        reject(new Error(`the cluster primary exited early (${code})`)),
      );
      lines.on('line', (line) => {
        const parsed = JSON.parse(line) as { worker?: string; port?: number };
        if (parsed.worker !== undefined && parsed.port !== undefined) {
          urls[parsed.worker] = `http://127.0.0.1:${parsed.port}`;
          if (Object.keys(urls).length === 2) resolve();
        } else incidents.push(parsed);
      });
    }),
  );
  return { urls, incidents, stop };
}

describe('@socket.io/cluster-adapter 0.3.0 across Node cluster workers, wiregate compared with socket.io 4.8', () => {
  it('two workers: broadcasts both ways (binary too), rooms, fetchSockets, RemoteSocket emit/join, socketsJoin/Leave, serverSideEmit(WithAck), broadcast acks, disconnectSockets; no worker exits', async () => {
    const seen: Partial<Record<Impl, Observations>> = {};
    for (const impl of IMPLS) {
      const cluster = await startCluster(impl);
      seen[impl] = await runCrossServerScenario(cluster.urls.A, cluster.urls.B, {
        connectTimeout: 20_000,
      });
      expect(cluster.incidents).toEqual([]);
      // A clean shutdown: both workers closed their server and the primary exited with 0.
      await expect(cluster.stop()).resolves.toBe(0);
      await closeAll();
    }
    expectScenario(seen['socket.io']!);
    expect(seen.wiregate).toEqual(seen['socket.io']);
  }, 180_000);
});

/**
 * Spawning the pinned children (server on core 0, load generator on core 1) and talking
 * to them over IPC, every wait bounded.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type {
  CpuSample,
  Job,
  LoadMessage,
  LoadRequest,
  LoadResult,
  MemSample,
  ServerKind,
  ServerMessage,
  Target,
} from './messages';
import { OUT } from './paths';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

const SERVER_FILES: Record<ServerKind, string> = {
  'raw-ws': 'raw-ws.js',
  'socket.io': 'socket-io.js',
  'wiregate-socket': 'wiregate-socket.js',
  'wiregate-app': 'wiregate-app.js',
  'nest-socket.io': 'nest-socket-io.js',
  'nest-ws': 'nest-ws.js',
};

const live = new Set<ChildProcess>();

/** Kills every child still running (on exit, on a signal, on a fatal error). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** `node args` pinned to `core`, with the fd limit raised as far as the shell allows. */
function spawnPinned(
  core: number,
  nodeArgs: string[],
  env: Record<string, string> = {},
): ChildProcess {
  const quoted = nodeArgs.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec taskset -c ${core} '${process.execPath}' ${quoted}`;
  const child = spawn('sh', ['-c', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface ServerOptions {
  /** Write a V8 CPU profile (`--cpu-prof`) into this folder. */
  profileDir?: string;
  profileName?: string;
  /** Extra environment for the server (variants such as BENCH_SCOPED=1). */
  env?: Record<string, string>;
}

export class ServerChild {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    (msg: Extract<ServerMessage, { type: 'reply' }>) => void
  >();
  target!: Target;
  version = '';

  private constructor(
    readonly kind: ServerKind,
    readonly child: ChildProcess,
  ) {
    child.on('message', (msg: ServerMessage) => {
      if (msg.type !== 'reply') return;
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve?.(msg);
    });
  }

  /** Starts a server; resolves with it, or with the reason it is not available. */
  static async start(
    kind: ServerKind,
    opts: ServerOptions = {},
  ): Promise<ServerChild | { unavailable: string }> {
    const args = ['--expose-gc'];
    if (opts.profileDir)
      args.push(
        '--cpu-prof',
        `--cpu-prof-dir=${opts.profileDir}`,
        `--cpu-prof-name=${opts.profileName ?? kind}.cpuprofile`,
      );
    args.push(join(OUT, 'servers', SERVER_FILES[kind]));
    const server = new ServerChild(kind, spawnPinned(SERVER_CORE, args, opts.env));
    const first = await new Promise<ServerMessage | { type: 'exit'; code: number | null }>(
      (resolve) => {
        const timer = setTimeout(
          () => resolve({ type: 'unavailable', reason: 'no ready message within 30 s' }),
          30_000,
        );
        server.child.once('message', (msg: ServerMessage) => {
          clearTimeout(timer);
          resolve(msg);
        });
        server.child.once('exit', (code) => {
          clearTimeout(timer);
          resolve({ type: 'exit', code });
        });
      },
    );
    if (first.type === 'ready') {
      server.target = { port: first.port, path: first.path, dialect: first.dialect };
      server.version = first.version;
      return server;
    }
    await server.stop();
    if (first.type === 'unavailable') return { unavailable: first.reason };
    return {
      unavailable: `server exited (code ${String((first as { code: number | null }).code)}) before it was ready`,
    };
  }

  private request(
    cmd: 'cpu' | 'mem' | 'clients' | 'exit' | 'snapshot',
    ms = 15_000,
    path = '',
  ): Promise<Extract<ServerMessage, { type: 'reply' }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.kind}: no answer to ${cmd} within ${ms} ms`));
      }, ms);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      this.child.send(cmd === 'snapshot' ? { id, cmd, path } : { id, cmd });
    });
  }

  async cpu(): Promise<CpuSample> {
    return (await this.request('cpu')).cpu!;
  }

  async mem(): Promise<MemSample> {
    return (await this.request('mem')).mem!;
  }

  /** Writes a heap snapshot (after gc) to `path`. */
  async snapshot(path: string): Promise<void> {
    await this.request('snapshot', 120_000, path);
  }

  async clients(): Promise<number> {
    return (await this.request('clients')).clients!;
  }

  /** Waits (bounded) until the server has processed every close. */
  async drained(ms = 20_000): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if ((await this.clients()) === 0) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  /** Asks the server to exit (so a CPU profile gets written), kills it after 10 s. */
  async stop(): Promise<void> {
    if (this.child.connected) this.request('exit', 5_000).catch(() => undefined);
    await waitExit(this.child, 10_000);
  }
}

/** What happened on the server between the load generator's two marks. */
export interface Marks {
  start?: CpuSample;
  end?: CpuSample;
}

export class LoadChild {
  private constructor(readonly child: ChildProcess) {}

  static start(): LoadChild {
    return new LoadChild(spawnPinned(LOAD_CORE, [join(OUT, 'load', 'loadgen.js')]));
  }

  /**
   * Runs one job. `onMark` is called at each mark (sample the server there); the load
   * generator waits for it. Rejects on failure or after `timeoutMs` (+10 s grace), killing
   * the load generator in that case.
   */
  run(
    target: Target,
    job: Job,
    timeoutMs: number,
    onMark: (phase: 'start' | 'end' | 'hold') => Promise<void>,
  ): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.child.kill('SIGKILL');
        reject(new Error(`load generator: no result within ${timeoutMs + 10_000} ms`));
      }, timeoutMs + 10_000);
      const onMessage = (msg: LoadMessage): void => {
        if (msg.type === 'mark') {
          onMark(msg.phase).then(
            () => this.child.send({ cmd: 'marked' }),
            (err: Error) => {
              cleanup();
              reject(err);
            },
          );
          return;
        }
        cleanup();
        if (msg.type === 'result') resolve(msg.result);
        else reject(new Error(msg.error));
      };
      const onExit = (): void => {
        cleanup();
        reject(new Error('load generator exited'));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      const request: LoadRequest = { cmd: 'run', target, job, timeoutMs };
      this.child.send(request);
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    this.child.disconnect();
    await waitExit(this.child, 5_000);
  }
}

/**
 * `npm run bench [-- --quick] [--servers a,b] [--workloads echo,fanout] [--reps N]
 * [--no-build] [--profile]`: runs every server under every workload, server pinned to
 * core 0 and load generator to core 1, and writes bench/results/latest.{md,json}.
 * @module
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { killAll, LoadChild, ServerChild, type Marks } from './lib/children';
import {
  SERVER_KINDS,
  type CpuSample,
  type Job,
  type MemSample,
  type ServerKind,
} from './lib/messages';
import { OUT, privateDist, RESULTS, ROOT } from './lib/paths';
import { renderMarkdown, type Report, type ServerReport } from './lib/report';
import {
  machineCpu,
  plan,
  type MachineCpu,
  toMemRep,
  toRep,
  WORKLOADS,
  type MemRep,
  type Rep,
  type Workload,
} from './lib/workloads';

interface Args {
  quick: boolean;
  servers: ServerKind[];
  workloads: Workload[];
  reps?: number;
  build: boolean;
  profile: boolean;
  heap: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    servers: [...SERVER_KINDS],
    workloads: [...WORKLOADS],
    build: true,
    profile: false,
    heap: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') args.quick = true;
    else if (a === '--no-build') args.build = false;
    else if (a === '--profile') args.profile = true;
    else if (a === '--heap') args.heap = true;
    else if (a === '--reps') args.reps = Number(argv[++i]);
    else if (a === '--servers') args.servers = argv[++i]!.split(',') as ServerKind[];
    else if (a === '--workloads') args.workloads = argv[++i]!.split(',') as Workload[];
    else throw new Error(`unknown argument ${a}`);
  }
  for (const s of args.servers)
    if (!SERVER_KINDS.includes(s))
      throw new Error(`unknown server ${s} (${SERVER_KINDS.join(', ')})`);
  for (const w of args.workloads)
    if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w} (${WORKLOADS.join(', ')})`);
  return args;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(dir: string, srcMtime: number): boolean {
  const index = join(dir, 'index.js');
  return (
    existsSync(join(dir, 'server', 'index.js')) &&
    existsSync(index) &&
    statSync(index).mtimeMs >= srcMtime
  );
}

/**
 * Puts the built wiregate to measure in bench/.out/wiregate-dist-<pid>: a copy of dist/ when
 * dist/ is at least as new as src/, else a build of src/ there. Never dist/ itself and
 * never `npm run build` (which starts with `rm -rf dist`): other people's tests and
 * builds on this machine replace dist/ while the bench runs (seen here: servers that
 * found half a dist/). Returns a note for the report.
 */
const PRIVATE_DIST = privateDist(process.pid);

/** Removes the build folders of bench runs that are no longer running. */
function removeStaleBuilds(): void {
  for (const name of existsSync(OUT) ? readdirSync(OUT) : []) {
    const m = /^wiregate-dist-(\d+)$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      rmSync(join(OUT, name), { recursive: true, force: true });
    }
  }
}

function ensureBuilt(build: boolean): string {
  removeStaleBuilds();
  const srcMtime = newestMtime(join(ROOT, 'src'));
  const dist = join(ROOT, 'dist');
  process.env.BENCH_WIREGATE_DIST = PRIVATE_DIST;
  if (isFresh(dist, srcMtime) || !build) {
    rmSync(PRIVATE_DIST, { recursive: true, force: true });
    try {
      cpSync(dist, PRIVATE_DIST, { recursive: true });
      if (isFresh(PRIVATE_DIST, 0))
        return isFresh(dist, srcMtime)
          ? 'measured a copy of dist/ (up to date with src/)'
          : 'measured a copy of dist/, which is older than src/ (--no-build)';
    } catch {
      // dist/ changed under us; build instead
    }
  }
  console.log(`dist/ is older than src/ (or changing): building src/ into ${PRIVATE_DIST}`);
  rmSync(PRIVATE_DIST, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', PRIVATE_DIST, '--sourceMap', 'false'],
    { cwd: ROOT, stdio: 'inherit', timeout: 240_000 },
  );
  const note =
    "measured a build of the working tree's src/ (bench/.out/wiregate-dist-<pid>; dist/ was older than src/)";
  if (r.status === 0) return note;
  return `${note}; tsc exited ${String(r.status)}: src/ had type errors while it was built, the emitted JavaScript was measured`;
}

function pinSelf(): void {
  // The orchestrator is idle most of the time; keep it off the server's core.
  spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

/** The servers the Redis workload runs: socket.io with its Redis adapter, wiregate's socket layer with wiregate/redis. */
const REDIS_KINDS: readonly ServerKind[] = ['socket.io', 'wiregate-socket'];

const T0 = Date.now();
/** Seconds since the run started, for the progress lines. */
const elapsed = (): string => `[${((Date.now() - T0) / 1000).toFixed(0).padStart(3)} s]`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Runner {
  private load = LoadChild.start();
  readonly log: string[] = [];

  constructor(private readonly args: Args) {}

  private loadChild(): LoadChild {
    if (!this.load.alive) this.load = LoadChild.start();
    return this.load;
  }

  /** One job against a running server; samples the server's CPU at the load generator's marks. */
  private async job(
    server: ServerChild,
    job: Job,
    timeoutMs: number,
    also: ServerChild[] = [],
  ): Promise<Rep> {
    const marks: Marks = {};
    let machine0: MachineCpu | undefined;
    let machine1: MachineCpu | undefined;
    // CPU of every server in the run, added up (two servers in the Redis workload).
    const cpu = async (): Promise<CpuSample> => {
      const samples = await Promise.all([server, ...also].map((s) => s.cpu()));
      return samples.reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system }));
    };
    const result = await this.loadChild().run(server.target, job, timeoutMs, async (phase) => {
      if (phase === 'start') {
        marks.start = await cpu();
        machine0 = machineCpu();
      } else {
        marks.end = await cpu();
        machine1 = machineCpu();
      }
    });
    if (!marks.start || !marks.end) throw new Error('missing marks');
    const machine =
      machine0 && machine1
        ? { busy: machine1.busy - machine0.busy, softirq: machine1.softirq - machine0.softirq }
        : undefined;
    return toRep(result, marks.start, marks.end, machine);
  }

  /**
   * Echo, fan-out and setup: every server runs at once (idle ones cost nothing), and the
   * repetitions go round-robin over the servers, so that whatever else the machine is
   * doing spreads over all of them instead of spoiling one server's numbers.
   */
  async runInterleaved(reports: ServerReport[]): Promise<void> {
    const p = plan(this.args.quick, this.args.reps);
    const wanted = this.args.workloads.filter(
      (w) => w === 'echo' || w === 'fanout' || w === 'setup',
    );
    if (wanted.length === 0) return;
    const running: [ServerReport, ServerChild][] = [];
    try {
      for (const report of reports) {
        const kind = report.kind;
        const started = await ServerChild.start(
          kind,
          this.args.profile
            ? { profileDir: join(RESULTS, 'profiles'), profileName: `${kind}-${Date.now()}` }
            : {},
        );
        if ('unavailable' in started) {
          report.unavailable = started.unavailable;
          console.log(`${elapsed()} ${kind}: not available: ${started.unavailable.split('\n')[0]}`);
          continue;
        }
        report.version = started.version;
        running.push([report, started]);
      }
      for (const w of wanted) {
        const job = w === 'echo' ? p.echo : w === 'fanout' ? p.fanout : p.setup;
        if (w === 'setup') {
          // Unmeasured: the CPU per connection keeps falling for the first few thousand
          // handshakes of a process (JIT of the handshake path).
          for (const [, server] of running) {
            for (let done = 0; done < p.setupWarmup; done += 500) {
              await this.job(
                server,
                { kind: 'setup', connections: 500, concurrency: p.setup.concurrency },
                60_000,
              ).catch(() => undefined);
              await server.drained();
            }
          }
        }
        for (const [report] of running) report[w] = [];
        for (let i = 0; i < p.reps; i++) {
          for (const [report, server] of running) {
            // Fan-out keeps each server's 1,000 receivers open from one repetition to the next.
            const last = i === p.reps - 1;
            const repJob: Job =
              job.kind === 'fanout' ? { ...job, keepAs: report.kind, keep: !last } : job;
            await this.rep(report, server, w, repJob, i, repJob.kind !== 'fanout' || last);
          }
        }
      }
    } finally {
      await Promise.all(running.map(([, server]) => server.stop()));
    }
  }

  private async rep(
    report: ServerReport,
    server: ServerChild,
    w: 'echo' | 'fanout' | 'setup',
    job: Job,
    i: number,
    drain: boolean,
  ): Promise<void> {
    try {
      const rep = await this.job(server, job, 120_000);
      report[w]!.push(rep);
      console.log(
        `${elapsed()} ${report.kind} ${w} #${i + 1}: ${rep.rate.toFixed(0)}/s, ${rep.cpuUsPerOp.toFixed(2)} µs/op, server ${rep.serverCpuPct.toFixed(0)}% load ${rep.loadCpuPct.toFixed(0)}% other ${rep.otherCpuPct?.toFixed(0) ?? '?'}% softirq ${rep.softirqPct?.toFixed(0) ?? '?'}%`,
      );
    } catch (err) {
      report.errors.push(`${w} rep ${i + 1}: ${(err as Error).message}`);
    }
    if (drain && !(await server.drained()))
      report.errors.push(
        `${w} rep ${i + 1}: server still had clients 20 s after the load generator closed them`,
      );
  }

  /** Redis and idle memory: one kind at a time, fresh processes. */
  async runSeparate(report: ServerReport): Promise<void> {
    const kind = report.kind;
    if (report.unavailable) return;
    if (
      this.args.workloads.includes('redis') &&
      REDIS_KINDS.includes(kind) &&
      existsSync(join(ROOT, 'src', 'redis.ts'))
    )
      report.redis = await this.redis(kind, report);
    if (this.args.workloads.includes('idle')) {
      report.idle = await this.idle(kind, report);
      // The same gateway with a per-connection container created at connection time.
      if (kind === 'wiregate-app' && !report.unavailable)
        report.idleScoped = await this.idle(kind, report, { BENCH_SCOPED: '1' });
    }
  }

  /**
   * Cross-server fan-out: two servers sharing the Redis on 127.0.0.1:6379 under a fresh
   * channel prefix, half the receivers on each, the sender on the first. CPU is both servers'.
   */
  private async redis(kind: ServerKind, report: ServerReport): Promise<Rep[]> {
    const p = plan(this.args.quick, this.args.reps);
    const env = { BENCH_REDIS: '1', BENCH_REDIS_KEY: `wiregate-bench-${process.pid}-${kind}` };
    const a = await ServerChild.start(kind, { env });
    if ('unavailable' in a) {
      report.errors.push(`redis: ${a.unavailable.split('\n')[0]}`);
      return [];
    }
    const b = await ServerChild.start(kind, { env });
    if ('unavailable' in b) {
      await a.stop();
      report.errors.push(`redis: ${b.unavailable.split('\n')[0]}`);
      return [];
    }
    report.redisVersion = a.version;
    const reps: Rep[] = [];
    try {
      for (let i = 0; i < p.reps; i++) {
        try {
          const rep = await this.job(
            a,
            { ...p.fanout, secondary: b.target, keepAs: `redis-${kind}`, keep: i < p.reps - 1 },
            120_000,
            [b],
          );
          reps.push(rep);
          console.log(
            `${elapsed()} ${kind} redis #${i + 1}: ${rep.rate.toFixed(0)}/s, ${rep.cpuUsPerOp.toFixed(2)} µs/op (both servers), server ${rep.serverCpuPct.toFixed(0)}% load ${rep.loadCpuPct.toFixed(0)}%`,
          );
        } catch (err) {
          report.errors.push(`redis rep ${i + 1}: ${(err as Error).message}`);
        }
      }
      await Promise.all([a.drained(), b.drained()]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    return reps;
  }

  /** Idle memory: a fresh server per repetition, warmed, then N connections held idle. */
  private async idle(
    kind: ServerKind,
    report: ServerReport,
    env?: Record<string, string>,
  ): Promise<MemRep[]> {
    const p = plan(this.args.quick, this.args.reps);
    const reps: MemRep[] = [];
    for (let i = 0; i < p.idleReps; i++) {
      const started = await ServerChild.start(kind, { env });
      if ('unavailable' in started) {
        report.unavailable = started.unavailable;
        return reps;
      }
      report.version ??= started.version;
      try {
        await this.job(
          started,
          { kind: 'setup', connections: p.idleWarmup, concurrency: 50 },
          60_000,
        );
        await started.drained();
        await sleep(200);
        const baseline = await started.mem();
        const snapshot = (when: string): string =>
          join(RESULTS, 'profiles', `${kind}${env ? '-scoped' : ''}-${when}.heapsnapshot`);
        if (this.args.heap) {
          mkdirSync(join(RESULTS, 'profiles'), { recursive: true });
          await started.snapshot(snapshot('baseline'));
        }
        let loaded: MemSample | undefined;
        const result = await this.loadChild().run(started.target, p.idle, 180_000, async () => {
          await sleep(500); // let the server finish the last handshakes
          loaded = await started.mem();
          if (this.args.heap) await started.snapshot(snapshot('loaded'));
        });
        const rep = toMemRep(result, baseline, loaded!);
        reps.push(rep);
        console.log(
          `${elapsed()} ${kind}${env ? ' (scoped)' : ''} idle #${i + 1}: ${rep.connections} conns, heap ${rep.heapPerConn.toFixed(0)} B/conn, rss ${rep.rssPerConn.toFixed(0)} B/conn`,
        );
      } catch (err) {
        report.errors.push(`idle rep ${i + 1}: ${(err as Error).message}`);
      } finally {
        await started.stop();
      }
    }
    return reps;
  }

  async close(): Promise<void> {
    await this.load.stop();
  }
}

function revision(): string {
  const head =
    spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).stdout.trim() || '?';
  const dirty =
    spawnSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).stdout.trim() !== '';
  return dirty ? `${head} + uncommitted changes in src/` : head;
}

function redisAvailability(): string | undefined {
  if (!existsSync(join(ROOT, 'src', 'redis.ts')))
    return 'not available: src/redis.ts (the wiregate/redis entry point) does not exist yet';
  return undefined;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  pinSelf();
  const startedAt = new Date();
  const loadBefore = loadavg();
  const buildNote = ensureBuilt(args.build);
  const p = plan(args.quick, args.reps);
  console.log(
    `wiregate bench (${args.quick ? 'quick' : 'full'}): ${args.servers.join(', ')}; ${args.workloads.join(', ')}; ${p.reps} reps`,
  );
  const runner = new Runner(args);
  const servers: ServerReport[] = [];
  try {
    for (const kind of args.servers) servers.push({ kind, errors: [] });
    await runner.runInterleaved(servers);
    for (const report of servers) await runner.runSeparate(report);
  } finally {
    await runner.close();
  }
  const report: Report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '?',
      node: process.version,
      loadBefore,
      loadAfter: loadavg(),
    },
    build: buildNote,
    revision: revision(),
    workloads: args.workloads,
    plan: p,
    redis: args.workloads.includes('redis') ? redisAvailability() : 'not run (--workloads)',
    servers,
  };
  mkdirSync(RESULTS, { recursive: true });
  const md = renderMarkdown(report);
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(RESULTS, 'latest.md'), md);
  console.log('\n' + md);
  console.log(`written: bench/results/latest.md, bench/results/latest.json`);
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
process.on('SIGTERM', () => {
  killAll();
  process.exit(143);
});
process.on('exit', () => {
  killAll();
  rmSync(PRIVATE_DIST, { recursive: true, force: true });
});
main().catch((err: unknown) => {
  console.error(err);
  killAll();
  process.exit(1);
});

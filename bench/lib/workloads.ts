/**
 * The workloads, their sizes in full and quick mode, and how one repetition turns into
 * numbers.
 * @module
 */
import { readFileSync } from 'node:fs';
import type {
  CpuSample,
  EchoJob,
  FanoutJob,
  IdleJob,
  LoadResult,
  MemSample,
  SetupJob,
} from './messages';

export const WORKLOADS = ['echo', 'fanout', 'setup', 'idle', 'redis'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface Plan {
  reps: number;
  idleReps: number;
  echo: EchoJob;
  fanout: FanoutJob;
  setup: SetupJob;
  idle: IdleJob;
  /** Connections opened and closed before the idle baseline, so JIT and pools are warm. */
  idleWarmup: number;
  /** Connections opened and closed (unmeasured, in batches of 500) before the setup repetitions. */
  setupWarmup: number;
}

export function plan(quick: boolean, reps?: number): Plan {
  return {
    reps: reps ?? (quick ? 3 : 5),
    idleReps: quick ? 1 : 3,
    echo: {
      kind: 'echo',
      clients: 50,
      warmupMs: quick ? 300 : 1_500,
      durationMs: quick ? 800 : 3_000,
    },
    fanout: {
      kind: 'fanout',
      receivers: 1_000,
      window: 4,
      warmupMs: quick ? 300 : 1_500,
      durationMs: quick ? 800 : 3_000,
    },
    setup: { kind: 'setup', connections: quick ? 500 : 2_000, concurrency: 50 },
    idle: { kind: 'idle', connections: quick ? 2_000 : 5_000, concurrency: 100 },
    idleWarmup: 300,
    setupWarmup: quick ? 500 : 3_000,
  };
}

/** One repetition, reduced to the figures the tables show. */
export interface Rep {
  /** ops per second (round trips, deliveries, connections). */
  rate: number;
  /** server CPU µs per op. */
  cpuUsPerOp: number;
  /** server CPU used / wall time of the window, %. */
  serverCpuPct: number;
  /** load generator CPU used / wall time of the window, %. */
  loadCpuPct: number;
  /** CPU used by every other process on the machine in the window, % of one core (softirq excluded). */
  otherCpuPct?: number;
  /** Softirq time of the machine in the window, % of one core (loopback TCP receive work, charged to no process). */
  softirqPct?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors: number;
  note?: string;
}

export function cpuDeltaUs(a: CpuSample, b: CpuSample): number {
  return b.user - a.user + (b.system - a.system);
}

export function toRep(
  result: LoadResult,
  start: CpuSample,
  end: CpuSample,
  machine?: MachineCpu,
): Rep {
  const cpuUs = cpuDeltaUs(start, end);
  const pct = (us: number): number => (us / 1000 / result.wallMs) * 100;
  return {
    softirqPct: machine === undefined ? undefined : pct(machine.softirq),
    otherCpuPct:
      machine === undefined
        ? undefined
        : Math.max(
            0,
            pct(machine.busy - machine.softirq - cpuUs) - (result.loadCpuMs / result.wallMs) * 100,
          ),
    rate: (result.ops / result.wallMs) * 1000,
    cpuUsPerOp: result.ops > 0 ? cpuUs / result.ops : NaN,
    serverCpuPct: (cpuUs / 1000 / result.wallMs) * 100,
    loadCpuPct: (result.loadCpuMs / result.wallMs) * 100,
    p50Ms: result.latency?.p50,
    p99Ms: result.latency?.p99,
    errors: result.errors,
    note: result.note,
  };
}

export interface MemRep {
  heapPerConn: number;
  rssPerConn: number;
  connections: number;
  baseline: MemSample;
  loaded: MemSample;
  errors: number;
}

export function toMemRep(result: LoadResult, baseline: MemSample, loaded: MemSample): MemRep {
  const n = result.ops;
  return {
    heapPerConn: (loaded.heapUsed - baseline.heapUsed) / n,
    rssPerConn: (loaded.rss - baseline.rss) / n,
    connections: n,
    baseline,
    loaded,
    errors: result.errors,
  };
}

/** CPU time of the whole machine so far, µs (from /proc/stat; undefined elsewhere). */
export interface MachineCpu {
  /** Every busy state (user, nice, system, irq, softirq, steal). */
  busy: number;
  /** Softirq alone: on loopback most of TCP's receive path runs here, charged to no process. */
  softirq: number;
}

export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const tick = 1_000_000 / 100; // USER_HZ is 100 on Linux
    return {
      busy: (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + (f[7] ?? 0)) * tick,
      softirq: f[6]! * tick,
    };
  } catch {
    return undefined;
  }
}

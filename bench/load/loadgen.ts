/**
 * The load generator child (pinned to core 1 by the orchestrator). Runs one job at a
 * time, asks the orchestrator to sample the server at the window's two marks, and reports
 * what it counted plus its own CPU time so a load-bound run is visible.
 * @module
 */
import {
  BROADCAST_EVENT,
  ECHO_EVENT,
  JOIN_EVENT,
  PAYLOAD,
  PAYLOAD_JSON,
  ROOM,
} from '../lib/fixtures';
import type {
  EchoJob,
  FanoutJob,
  IdleJob,
  LoadMessage,
  LoadRequest,
  LoadResult,
  SetupJob,
  Target,
} from '../lib/messages';
import { percentile } from '../lib/stats';
import { frame, replyBody, type BenchClient } from './client';
import { Pool } from './pool';

const LATENCY_CAP = 2_000_000;
const latencies = new Float64Array(LATENCY_CAP);

let markResolve: (() => void) | null = null;

function send(msg: LoadMessage): void {
  process.send?.(msg);
}

/** Asks the orchestrator to sample the server now; resolves once it has. */
function mark(phase: 'start' | 'end' | 'hold'): Promise<void> {
  return new Promise((resolve) => {
    markResolve = resolve;
    send({ type: 'mark', phase });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Measures between two marks: counts, wall time and this process's CPU. */
async function window<T>(
  count: () => number,
  run: () => Promise<T>,
): Promise<{ ops: number; wallMs: number; loadCpuMs: number; value: T }> {
  await mark('start');
  const c0 = count();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await run();
  await mark('end');
  const cpu = process.cpuUsage(cpu0);
  return {
    ops: count() - c0,
    wallMs: performance.now() - t0,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    value,
  };
}

function latencySummary(n: number): LoadResult['latency'] {
  const used = Math.min(n, LATENCY_CAP);
  const sorted = latencies.subarray(0, used).sort();
  return {
    p50: percentile(sorted, used, 50),
    p99: percentile(sorted, used, 99),
    max: sorted[used - 1] ?? NaN,
    samples: used,
  };
}

function samePayload(body: unknown): boolean {
  const b = body as { text?: unknown; n?: unknown } | null;
  return !!b && b.text === PAYLOAD.text && b.n === PAYLOAD.n;
}

/** Waits until `done()` or the deadline, checking every 5 ms. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await sleep(5);
  return done();
}

async function runEcho(target: Target, job: EchoJob, deadline: number): Promise<LoadResult> {
  const pool = new Pool(target);
  try {
    await pool.open(job.clients, job.clients, deadline);
    const echo = frame(target, ECHO_EVENT, PAYLOAD_JSON, 1);
    let running = true;
    let recording = false;
    let completed = 0;
    let recorded = 0;
    let outstanding = 0;
    let errors = 0;
    pool.onReply = (client: BenchClient, data: Buffer) => {
      const now = performance.now();
      if (client.replies === 1 && !samePayload(replyBody(target, data))) errors++;
      completed++;
      if (recording && recorded < LATENCY_CAP) latencies[recorded++] = now - client.sentAt;
      if (running) {
        client.sentAt = now;
        client.send(echo);
      } else outstanding--;
    };
    const clients = pool.live();
    outstanding = clients.length;
    for (const c of clients) {
      c.sentAt = performance.now();
      c.send(echo);
    }
    await sleep(job.warmupMs);
    const w = await window(
      () => completed,
      async () => {
        recording = true;
        await sleep(job.durationMs);
        recording = false;
      },
    );
    running = false;
    await until(() => outstanding === 0, 5_000);
    return {
      ops: w.ops,
      wallMs: w.wallMs,
      loadCpuMs: w.loadCpuMs,
      latency: latencySummary(recorded),
      errors: errors + pool.lost,
    };
  } finally {
    pool.closeAll();
  }
}

async function joinAll(pool: Pool, target: Target, deadline: number): Promise<void> {
  const join = frame(target, JOIN_EVENT, JSON.stringify(ROOM), 1);
  let joined = 0;
  pool.onReply = () => void joined++;
  const clients = pool.live();
  for (const c of clients) c.send(join);
  if (!(await until(() => joined === clients.length, Math.max(0, deadline - Date.now())))) {
    throw new Error(`join: ${joined}/${clients.length} acknowledged`);
  }
}

interface FanoutClients {
  receivers: Pool;
  remote: Pool | null;
  senders: Pool;
  sender: BenchClient;
}

/** Receivers kept open between the repetitions of one server (`job.keepAs`). */
const kept = new Map<string, FanoutClients>();

async function openFanout(
  target: Target,
  job: FanoutJob,
  deadline: number,
): Promise<FanoutClients> {
  const receivers = new Pool(target);
  const remote = job.secondary ? new Pool(job.secondary, job.receivers) : null;
  const senders = new Pool(target, 2 * job.receivers);
  try {
    const local = remote ? Math.ceil(job.receivers / 2) : job.receivers;
    await receivers.open(local, 100, deadline);
    await joinAll(receivers, target, deadline);
    if (remote && job.secondary) {
      await remote.open(job.receivers - local, 100, deadline);
      await joinAll(remote, job.secondary, deadline);
    }
    await senders.open(1, 1, deadline);
    return { receivers, remote, senders, sender: senders.live()[0]! };
  } catch (err) {
    closeFanout({ receivers, remote, senders, sender: undefined as unknown as BenchClient });
    throw err;
  }
}

function closeFanout(c: FanoutClients): void {
  c.remote?.closeAll();
  c.receivers.closeAll();
  c.senders.closeAll();
}

async function runFanout(target: Target, job: FanoutJob, deadline: number): Promise<LoadResult> {
  const key = job.keepAs;
  let clients = key === undefined ? undefined : kept.get(key);
  if (key !== undefined) kept.delete(key);
  let keep = false;
  try {
    clients ??= await openFanout(target, job, deadline);
    const { receivers, remote, senders, sender } = clients;
    const bcast = frame(target, BROADCAST_EVENT, PAYLOAD_JSON);
    const n = receivers.live().length + (remote?.live().length ?? 0);
    let running = true;
    let sent = 0;
    let received = 0;
    // Keep `window` broadcasts in flight: the next one goes out when the oldest has reached everyone.
    const pump = (): void => {
      while (running && sent - Math.floor(received / n) < job.window) {
        sent++;
        sender.send(bcast);
      }
    };
    receivers.onDelivery = () => {
      received++;
      if (running && received % n === 0) pump();
    };
    if (remote) remote.onDelivery = receivers.onDelivery;
    pump();
    await sleep(job.warmupMs);
    const w = await window(
      () => received,
      () => sleep(job.durationMs),
    );
    running = false;
    const complete = await until(() => received >= sent * n, 10_000);
    const lost = receivers.lost + (remote?.lost ?? 0) + senders.lost;
    // Only a clean pool is worth keeping for the next repetition.
    keep = key !== undefined && job.keep === true && complete && lost === 0;
    return {
      ops: w.ops,
      wallMs: w.wallMs,
      loadCpuMs: w.loadCpuMs,
      errors: lost + (complete ? 0 : 1),
      note: `${n} receivers${remote ? ` (${n - receivers.live().length} on the second server)` : ''}, ${sent} broadcasts${complete ? '' : `, ${sent * n - received} deliveries missing`}`,
    };
  } finally {
    if (clients && keep && key !== undefined) kept.set(key, clients);
    else if (clients) closeFanout(clients);
  }
}

async function runSetup(target: Target, job: SetupJob, deadline: number): Promise<LoadResult> {
  const pool = new Pool(target);
  try {
    const w = await window(
      () => pool.connectedCount,
      () => pool.open(job.connections, job.concurrency, deadline),
    );
    const ms = pool.connectMs;
    latencies.set(ms.subarray(0, Math.min(ms.length, LATENCY_CAP)));
    return {
      ops: w.ops,
      wallMs: w.wallMs,
      loadCpuMs: w.loadCpuMs,
      latency: latencySummary(pool.connectedCount),
      errors: pool.failures + pool.lost,
    };
  } finally {
    pool.closeAll();
  }
}

/** Opens the connections, then holds them idle (answering pings) until the orchestrator has measured. */
async function runIdle(target: Target, job: IdleJob, deadline: number): Promise<LoadResult> {
  const pool = new Pool(target);
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await pool.open(job.connections, job.concurrency, deadline);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    await mark('hold');
    return {
      ops: pool.connectedCount,
      wallMs,
      loadCpuMs: (cpu.user + cpu.system) / 1000,
      errors: pool.failures + pool.lost,
    };
  } finally {
    pool.closeAll();
  }
}

async function run(msg: Extract<LoadRequest, { cmd: 'run' }>): Promise<void> {
  const deadline = Date.now() + msg.timeoutMs;
  const job = msg.job;
  try {
    let result: LoadResult;
    if (job.kind === 'echo') result = await runEcho(msg.target, job, deadline);
    else if (job.kind === 'fanout') result = await runFanout(msg.target, job, deadline);
    else if (job.kind === 'setup') result = await runSetup(msg.target, job, deadline);
    else result = await runIdle(msg.target, job, deadline);
    send({ type: 'result', result });
  } catch (err) {
    send({ type: 'failed', error: (err as Error).message });
  }
}

process.on('disconnect', () => process.exit(0));
process.on('message', (msg: LoadRequest) => {
  if (msg.cmd === 'run')
    void run(msg); // run() reports its own failures
  else if (msg.cmd === 'marked') {
    const r = markResolve;
    markResolve = null;
    r?.();
  }
});

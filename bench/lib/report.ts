/**
 * Turns the measurements into the markdown tables (medians with min–max, ratios to
 * socket.io and raw ws) and the check against issue 8's targets.
 * @module
 */
import type { ServerKind } from './messages';
import { summarize, type Summary } from './stats';
import type { MemRep, Plan, Rep } from './workloads';

export interface ServerReport {
  kind: ServerKind;
  version?: string;
  unavailable?: string;
  errors: string[];
  echo?: Rep[];
  fanout?: Rep[];
  setup?: Rep[];
  idle?: MemRep[];
  /** wiregate-app only: the guard creates a per-connection DI container at connection time. */
  idleScoped?: MemRep[];
  /** Cross-server fan-out through Redis (two servers; CPU is both servers'). */
  redis?: Rep[];
  redisVersion?: string;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full';
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    loadBefore: number[];
    loadAfter: number[];
  };
  build: string;
  /** `git rev-parse --short HEAD`, with "+ uncommitted changes in src/" when src/ differs from it. */
  revision: string;
  workloads: string[];
  plan: Plan;
  redis?: string;
  servers: ServerReport[];
}

const LABELS: Record<ServerKind, string> = {
  'raw-ws': 'raw ws (floor)',
  'socket.io': 'socket.io 4.8',
  'wiregate-socket': 'wiregate socket layer',
  'wiregate-app': 'wiregate gateway (createApp)',
  'nest-socket.io': 'NestJS 12 + socket.io',
  'nest-ws': 'NestJS 12 + ws',
};

/** A load generator above this share of its core was probably the limit on the rate. */
const LOAD_BOUND_PCT = 90;

type RepMetric = (r: Rep) => number | undefined;

function stat(reps: Rep[] | undefined, pick: RepMetric): Summary | null {
  return reps ? summarize(reps.map(pick).filter((x): x is number => x !== undefined)) : null;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 10_000) return `${(x / 1000).toFixed(0)}k`;
  if (a >= 1_000) return `${(x / 1000).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function cell(s: Summary | null): string {
  if (!s) return '–';
  return s.n > 1 ? `${num(s.median)} (${num(s.min)}–${num(s.max)})` : num(s.median);
}

function ratio(s: Summary | null, base: Summary | null): string {
  if (!s || !base || !(base.median > 0)) return '–';
  return `${(s.median / base.median).toFixed(2)}×`;
}

function find(report: Report, kind: ServerKind): ServerReport | undefined {
  return report.servers.find((s) => s.kind === kind);
}

function unavailableRow(s: ServerReport, columns: number): string {
  return `| ${LABELS[s.kind]} | not available: ${(s.unavailable ?? 'not run').split('\n')[0]!.slice(0, 160)} |${' |'.repeat(columns - 1)}`;
}

function rateTable(
  report: Report,
  key: 'echo' | 'fanout' | 'setup' | 'redis',
  rateName: string,
  cpuName: string,
  latency: boolean,
): string[] {
  if (!report.workloads.includes(key)) return ['not run (--workloads)'];
  const pickCpu: RepMetric = (r) => r.cpuUsPerOp;
  const sio = stat(find(report, 'socket.io')?.[key], pickCpu);
  const raw = stat(find(report, 'raw-ws')?.[key], pickCpu);
  const servers =
    key === 'redis'
      ? report.servers.filter((s) => s.kind === 'socket.io' || s.kind === 'wiregate-socket')
      : report.servers;
  const head =
    key === 'redis'
      ? [`server`, rateName, cpuName, '× socket.io']
      : [`server`, rateName, cpuName, '× socket.io', '× raw ws'];
  if (latency) head.push(key === 'setup' ? 'connect p50 / p99 ms' : 'p50 / p99 ms');
  head.push('server CPU %', 'load-gen CPU %', 'softirq %', 'other CPU %');
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const s of servers) {
    const reps = s[key];
    if (s.unavailable || !reps || reps.length === 0) {
      lines.push(
        s.unavailable
          ? unavailableRow(s, head.length - 1)
          : `| ${LABELS[s.kind]} | no result${s.errors[0] ? `: ${s.errors[0].slice(0, 120)}` : ''} |${' |'.repeat(head.length - 2)}`,
      );
      continue;
    }
    const cpu = stat(reps, pickCpu);
    const loadPct = stat(reps, (r) => r.loadCpuPct);
    const bound = loadPct && loadPct.median >= LOAD_BOUND_PCT ? ' †' : '';
    const row = [
      LABELS[s.kind],
      cell(stat(reps, (r) => r.rate)) + bound,
      cell(cpu),
      ratio(cpu, sio),
    ];
    if (key !== 'redis') row.push(ratio(cpu, raw));
    if (latency)
      row.push(
        `${num(stat(reps, (r) => r.p50Ms)?.median ?? NaN)} / ${num(stat(reps, (r) => r.p99Ms)?.median ?? NaN)}`,
      );
    row.push(
      num(stat(reps, (r) => r.serverCpuPct)?.median ?? NaN),
      num(loadPct?.median ?? NaN),
      num(stat(reps, (r) => r.softirqPct)?.median ?? NaN),
      num(stat(reps, (r) => r.otherCpuPct)?.median ?? NaN),
    );
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines;
}

function memStat(reps: MemRep[] | undefined, pick: (r: MemRep) => number): Summary | null {
  return reps && reps.length > 0 ? summarize(reps.map(pick)) : null;
}

function idleTable(report: Report): string[] {
  if (!report.workloads.includes('idle')) return ['not run (--workloads)'];
  const sioHeap = memStat(find(report, 'socket.io')?.idle, (r) => r.heapPerConn);
  const sioRss = memStat(find(report, 'socket.io')?.idle, (r) => r.rssPerConn);
  const rawHeap = memStat(find(report, 'raw-ws')?.idle, (r) => r.heapPerConn);
  const rawRss = memStat(find(report, 'raw-ws')?.idle, (r) => r.rssPerConn);
  const head = [
    'server',
    'connections',
    'heapUsed B/conn',
    '× socket.io',
    '× raw ws',
    'RSS B/conn',
    '× socket.io',
    '× raw ws',
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const s of report.servers) {
    if (s.unavailable || !s.idle || s.idle.length === 0) {
      lines.push(
        s.unavailable
          ? unavailableRow(s, head.length - 1)
          : `| ${LABELS[s.kind]} | no result |${' |'.repeat(head.length - 2)}`,
      );
      continue;
    }
    const heap = memStat(s.idle, (r) => r.heapPerConn);
    const rss = memStat(s.idle, (r) => r.rssPerConn);
    const conns = Math.min(...s.idle.map((r) => r.connections));
    lines.push(
      `| ${[LABELS[s.kind], String(conns), cell(heap), ratio(heap, sioHeap), ratio(heap, rawHeap), cell(rss), ratio(rss, sioRss), ratio(rss, rawRss)].join(' | ')} |`,
    );
  }
  return lines;
}

interface Check {
  target: string;
  measured: string;
  /** The same ratio from each server's least disturbed window (lowest CPU per op). */
  best: string;
  verdict: 'meets' | 'misses' | 'not measured';
}

type Pair = { median: number; min: number } | undefined;

function cpuOf(report: Report, kind: ServerKind, key: 'echo' | 'fanout' | 'setup'): Pair {
  const s = stat(find(report, kind)?.[key], (r) => r.cpuUsPerOp);
  return s ? { median: s.median, min: s.min } : undefined;
}

function check(target: string, value: Pair, base: Pair, limit: number): Check {
  if (value === undefined || base === undefined || !(base.median > 0))
    return { target, measured: '–', best: '–', verdict: 'not measured' };
  const r = value.median / base.median;
  const best = value.min / base.min;
  return {
    target,
    measured: `${r.toFixed(2)}× (${num(value.median)} vs ${num(base.median)})`,
    best: `${best.toFixed(2)}×`,
    verdict: r <= limit ? 'meets' : 'misses',
  };
}

/** Issue 8's targets, checked against this run's medians. */
export function checks(report: Report): Check[] {
  const m = (k: ServerKind, w: 'echo' | 'fanout' | 'setup'): Pair => cpuOf(report, k, w);
  const mem = (k: ServerKind, pick: (r: MemRep) => number): Pair =>
    memStat(find(report, k)?.idle, pick) ?? undefined;
  const heap = (r: MemRep): number => r.heapPerConn;
  const rss = (r: MemRep): number => r.rssPerConn;
  const out: Check[] = [
    check(
      'gateway echo CPU/rt ≤ 1.0× socket.io',
      m('wiregate-app', 'echo'),
      m('socket.io', 'echo'),
      1.0,
    ),
    check(
      'gateway echo CPU/rt ≤ 0.3× NestJS + socket.io',
      m('wiregate-app', 'echo'),
      m('nest-socket.io', 'echo'),
      0.3,
    ),
    check(
      'socket layer echo CPU/rt ≤ 0.8× socket.io',
      m('wiregate-socket', 'echo'),
      m('socket.io', 'echo'),
      0.8,
    ),
    check(
      'socket layer echo CPU/rt ≤ 1.15× raw ws',
      m('wiregate-socket', 'echo'),
      m('raw-ws', 'echo'),
      1.15,
    ),
    check(
      'socket layer fan-out CPU/delivery ≤ 0.5× socket.io',
      m('wiregate-socket', 'fanout'),
      m('socket.io', 'fanout'),
      0.5,
    ),
    check(
      'gateway fan-out CPU/delivery ≤ 0.5× socket.io',
      m('wiregate-app', 'fanout'),
      m('socket.io', 'fanout'),
      0.5,
    ),
    check(
      'socket layer connection setup CPU/conn ≤ 0.6× socket.io',
      m('wiregate-socket', 'setup'),
      m('socket.io', 'setup'),
      0.6,
    ),
    check(
      'gateway connection setup CPU/conn ≤ 0.6× socket.io',
      m('wiregate-app', 'setup'),
      m('socket.io', 'setup'),
      0.6,
    ),
    check(
      'socket layer idle heapUsed/conn ≤ 0.4× socket.io',
      mem('wiregate-socket', heap),
      mem('socket.io', heap),
      0.4,
    ),
    check(
      'socket layer idle RSS/conn ≤ 0.6× socket.io',
      mem('wiregate-socket', rss),
      mem('socket.io', rss),
      0.6,
    ),
    check(
      'gateway idle heapUsed/conn ≤ 0.4× socket.io',
      mem('wiregate-app', heap),
      mem('socket.io', heap),
      0.4,
    ),
    check(
      'gateway idle RSS/conn ≤ 0.6× socket.io',
      mem('wiregate-app', rss),
      mem('socket.io', rss),
      0.6,
    ),
  ];
  return out;
}

export function renderMarkdown(report: Report): string {
  const p = report.plan;
  const m = report.machine;
  const out: string[] = [];
  out.push(
    `# wiregate bench — ${report.mode} run, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
  );
  out.push('');
  out.push(
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}; server pinned to core 0, load generator to core 1 (taskset). ` +
      `Load average before/after: ${m.loadBefore.map((x) => x.toFixed(2)).join(' ')} / ${m.loadAfter.map((x) => x.toFixed(2)).join(' ')}. wiregate at ${report.revision}; ${report.build}.`,
  );
  out.push('');
  out.push(
    `Median of ${p.reps} repetitions (min–max in brackets), taken round-robin over the servers (all running, idle ones cost nothing) so machine noise spreads over all of them. **Server CPU per operation is the figure to compare**: ` +
      `on 2 cores the load generator saturates first, so rates are a floor. † = load generator above ${LOAD_BOUND_PCT}% of its core (rate limited by the load generator, not the server). ` +
      `"softirq %" is the kernel's softirq time in the window (/proc/stat, both cores, % of one core): on loopback most of TCP's receive path runs there and is charged to no process, so it is *not* in the server CPU column; every server here pays about the same per frame. ` +
      `"other CPU %" is what other processes used in the window: above ~20% the machine was shared (other people's tests) and rates are unreliable; CPU per operation is less affected.`,
  );
  out.push('');
  out.push(
    `## 1. Acked echo — ${p.echo.clients} clients, one request in flight each, ${p.echo.durationMs / 1000} s windows`,
  );
  out.push('', ...rateTable(report, 'echo', 'round trips/s', 'server CPU µs/rt', true), '');
  out.push(
    `## 2. Room fan-out — ${p.fanout.receivers} receivers, ${p.fanout.window} broadcasts in flight, ${p.fanout.durationMs / 1000} s windows`,
  );
  out.push('', ...rateTable(report, 'fanout', 'deliveries/s', 'server CPU µs/delivery', false), '');
  out.push(
    `## 3. Connection setup — ${p.setup.connections} connections, ${p.setup.concurrency} handshakes at a time (WebSocket upgrade + Engine.IO open + Socket.IO CONNECT), after ${p.setupWarmup} unmeasured ones`,
  );
  out.push('', ...rateTable(report, 'setup', 'connections/s', 'server CPU µs/conn', true), '');
  out.push(
    `## 4. Idle memory — ${p.idle.connections} connections held idle, ${p.idleReps} fresh server(s) each, after gc()`,
  );
  out.push('', ...idleTable(report), '');
  const app = memStat(find(report, 'wiregate-app')?.idle, (r) => r.heapPerConn)?.median;
  const sock = memStat(find(report, 'wiregate-socket')?.idle, (r) => r.heapPerConn)?.median;
  if (app !== undefined && sock !== undefined)
    out.push(
      `Gateway minus socket layer (gateway bookkeeping; no per-connection container is created unless something asks for one): ${num(app - sock)} B heapUsed per connection.`,
    );
  const scopedApp = find(report, 'wiregate-app')?.idleScoped;
  const scopedHeap = memStat(scopedApp, (r) => r.heapPerConn)?.median;
  const scopedRss = memStat(scopedApp, (r) => r.rssPerConn)?.median;
  if (app !== undefined && scopedHeap !== undefined && scopedRss !== undefined) {
    out.push(
      `Per-connection DI scope (the same gateway whose guard resolves a per-connection service at connection time, so every socket gets its own tsyringe child container): ${num(scopedHeap)} B heapUsed / ${num(scopedRss)} B RSS per connection, i.e. the scope costs ${num(scopedHeap - app)} B heapUsed per connection.`,
    );
  }
  out.push('');
  out.push(
    `## 5. Cross-server fan-out through Redis — two servers on core 0 sharing 127.0.0.1:6379, ${p.fanout.receivers} receivers split between them, sender on the first; CPU is both servers' (Redis itself not counted)`,
  );
  out.push(
    '',
    ...(report.redis
      ? [report.redis]
      : rateTable(report, 'redis', 'deliveries/s', 'servers CPU µs/delivery', false)),
    '',
  );
  out.push("## Against the targets of issue 8 (this run's medians)");
  out.push(
    '',
    'Verdicts use the medians. "best windows" is the same ratio from each server\'s lowest CPU per operation: on a shared machine contention only ever adds CPU time, so it is the least disturbed estimate.',
    '',
    '| target | measured (median) | best windows | verdict |',
    '|---|---:|---:|---|',
  );
  for (const c of checks(report))
    out.push(`| ${c.target} | ${c.measured} | ${c.best} | ${c.verdict} |`);
  out.push('');
  out.push('## Versions');
  out.push('');
  for (const s of report.servers)
    out.push(
      `- ${LABELS[s.kind]}: ${s.version ?? s.unavailable?.split('\n')[0] ?? '?'}${s.redisVersion ? ` (Redis run: ${s.redisVersion})` : ''}`,
    );
  const errors = report.servers.flatMap((s) => s.errors.map((e) => `- ${LABELS[s.kind]}: ${e}`));
  const repErrors = report.servers.flatMap((s) =>
    (['echo', 'fanout', 'setup', 'redis'] as const).flatMap((k) =>
      (s[k] ?? [])
        .filter((r) => r.errors > 0)
        .map(
          (r) =>
            `- ${LABELS[s.kind]} ${k}: ${r.errors} client errors${r.note ? ` (${r.note})` : ''}`,
        ),
    ),
  );
  if (errors.length + repErrors.length > 0) out.push('', '## Errors', '', ...errors, ...repErrors);
  out.push('');
  return out.join('\n');
}

/**
 * The metrics the dashboard publishes, and how each one is read from the running process.
 * @module
 */
import { cpuUsage, memoryUsage } from 'node:process';

/** Names of the metrics a client can subscribe to. */
export const METRIC_NAMES = ['cpu', 'memory', 'clients'] as const;

/** One of `METRIC_NAMES`. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** What the page needs to label a metric. */
export interface MetricInfo {
  name: MetricName;
  label: string;
  unit: string;
}

/** One reading of one metric, as pushed to the `metric:<name>` room. */
export interface Sample {
  metric: MetricName;
  value: number;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Labels and units, in the order the page lists them. */
export const METRICS: readonly MetricInfo[] = [
  { name: 'cpu', label: 'Server CPU', unit: '%' },
  { name: 'memory', label: 'Heap used', unit: 'MB' },
  { name: 'clients', label: 'Dashboards open', unit: '' },
];

/** The room a metric's updates go to. */
export function metricRoom(name: MetricName): string {
  return `metric:${name}`;
}

/**
 * Reads the process's CPU share since the previous call. The first call measures from
 * the moment the reader was created.
 */
export function createCpuReader(): () => number {
  let lastUsage = cpuUsage();
  let lastTime = process.hrtime.bigint();
  return () => {
    const usage = cpuUsage(lastUsage);
    const now = process.hrtime.bigint();
    const elapsedMicros = Number(now - lastTime) / 1000;
    lastUsage = cpuUsage();
    lastTime = now;
    if (elapsedMicros <= 0) return 0;
    return round(((usage.user + usage.system) / elapsedMicros) * 100);
  };
}

/** Heap in use, in megabytes. */
export function readHeapMegabytes(): number {
  return round(memoryUsage().heapUsed / (1024 * 1024));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

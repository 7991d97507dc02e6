/**
 * Samples the process on an interval and pushes each reading to the room of its metric.
 * @module
 */
import { inject, injectable, type Disposable } from 'tsyringe';
import type { Namespace } from 'wiregate';
import { DASHBOARD_SETTINGS, type DashboardSettings } from './dashboard-options';
import {
  createCpuReader,
  METRIC_NAMES,
  metricRoom,
  readHeapMegabytes,
  type MetricName,
  type Sample,
} from './metrics';

/**
 * Owns the sampling interval. The app's container disposes it when the app closes
 * (`app.close()`), which clears the interval: nothing keeps the process alive afterwards.
 */
@injectable()
export class MetricsService implements Disposable {
  private timer: NodeJS.Timeout | null = null;
  private namespace: Namespace | null = null;
  private readonly history = new Map<MetricName, Sample[]>(METRIC_NAMES.map((name) => [name, []]));
  private readonly readCpu = createCpuReader();

  constructor(@inject(DASHBOARD_SETTINGS) private readonly settings: DashboardSettings) {}

  /** True between `start` and `dispose`. */
  get isRunning(): boolean {
    return this.timer !== null;
  }

  /** Starts sampling and publishing to `namespace` (called once, from the gateway's `afterInit`). */
  start(namespace: Namespace): void {
    if (this.timer !== null) return;
    this.namespace = namespace;
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
  }

  /** The samples kept for `metric`, oldest first. */
  recent(metric: MetricName): Sample[] {
    return [...(this.history.get(metric) ?? [])];
  }

  /** Called by tsyringe when the app container is disposed. */
  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.namespace = null;
  }

  private tick(): void {
    const at = Date.now();
    this.publish({ metric: 'cpu', value: this.readCpu(), at });
    this.publish({ metric: 'memory', value: readHeapMegabytes(), at });
    this.publish({ metric: 'clients', value: this.namespace?.sockets.size ?? 0, at });
  }

  private publish(sample: Sample): void {
    const kept = this.history.get(sample.metric) as Sample[];
    kept.push(sample);
    if (kept.length > this.settings.historySize) kept.shift();
    // Only the sockets that joined the metric's room receive it; an empty room costs nothing.
    this.namespace?.to(metricRoom(sample.metric)).emit('metric', sample);
  }
}

/**
 * The dashboard's settings, injected into `MetricsService` by token.
 * @module
 */

/** How often the dashboard samples, and how much it remembers. */
export interface DashboardSettings {
  /** Milliseconds between two samples of every metric. */
  intervalMs: number;
  /** Samples kept per metric, sent to a client when it subscribes. */
  historySize: number;
}

/** Injection token of the `DashboardSettings`. */
export const DASHBOARD_SETTINGS = Symbol('DashboardSettings');

/** One sample a second, the last minute kept. */
export const DEFAULT_SETTINGS: DashboardSettings = { intervalMs: 1000, historySize: 60 };

/**
 * IPC messages between the orchestrator, the server child and the load generator.
 * @module
 */

/** The server kinds, in table order. */
export const SERVER_KINDS = [
  'raw-ws',
  'socket.io',
  'wiregate-socket',
  'wiregate-app',
  'nest-socket.io',
  'nest-ws',
] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** How the load generator talks to a server. */
export type Dialect = 'sio' | 'nest-ws';

export interface CpuSample {
  user: number;
  system: number;
}

export interface MemSample {
  heapUsed: number;
  rss: number;
  external: number;
}

/** Orchestrator -> server child. */
export type ServerRequest =
  | { id: number; cmd: 'cpu' }
  | { id: number; cmd: 'mem' }
  | { id: number; cmd: 'clients' }
  | { id: number; cmd: 'exit' }
  | { id: number; cmd: 'snapshot'; path: string };

/** Server child -> orchestrator. */
export type ServerMessage =
  | { type: 'ready'; port: number; path: string; dialect: Dialect; version: string }
  | { type: 'unavailable'; reason: string }
  | { type: 'reply'; id: number; cpu?: CpuSample; mem?: MemSample; clients?: number };

export interface EchoJob {
  kind: 'echo';
  clients: number;
  warmupMs: number;
  durationMs: number;
}
export interface FanoutJob {
  kind: 'fanout';
  receivers: number;
  /** Cross-server run: every other receiver connects here; the sender stays on the primary target. */
  secondary?: Target;
  /** Reuse the clients kept under this name by the previous repetition (if any)... */
  keepAs?: string;
  /** ...and keep them open after this one. */
  keep?: boolean;
  window: number;
  warmupMs: number;
  durationMs: number;
}
export interface SetupJob {
  kind: 'setup';
  connections: number;
  concurrency: number;
}
export interface IdleJob {
  kind: 'idle';
  connections: number;
  concurrency: number;
}
export type Job = EchoJob | FanoutJob | SetupJob | IdleJob;

export interface Target {
  port: number;
  path: string;
  dialect: Dialect;
}

/** Orchestrator -> load generator. */
export type LoadRequest =
  { cmd: 'run'; target: Target; job: Job; timeoutMs: number } | { cmd: 'marked' };

/** What the load generator measured in the window between its two marks. */
export interface LoadResult {
  ops: number;
  wallMs: number;
  /** CPU the load generator itself used in the window, ms. */
  loadCpuMs: number;
  latency?: { p50: number; p99: number; max: number; samples: number };
  errors: number;
  note?: string;
}

/** Load generator -> orchestrator. `mark` asks the orchestrator to sample the server now. */
export type LoadMessage =
  | { type: 'mark'; phase: 'start' | 'end' | 'hold' }
  | { type: 'result'; result: LoadResult }
  | { type: 'failed'; error: string };

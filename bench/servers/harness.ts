/**
 * The server child's side of the IPC: report readiness, CPU, memory and client counts,
 * exit when told to or when the orchestrator goes away.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { Dialect, ServerMessage, ServerRequest } from '../lib/messages';
import { ROOT } from '../lib/paths';

export interface RunningServer {
  port: number;
  /** Request path the clients connect to (Engine.IO: `/socket.io/`). */
  path: string;
  dialect: Dialect;
  version: string;
  /** Connected clients, for "wait until every close was processed". */
  clients(): number;
}

/** Thrown by a server module to report "not available" with a reason instead of a crash. */
export class Unavailable extends Error {}

function send(msg: ServerMessage): void {
  process.send?.(msg);
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** Starts the server and answers the orchestrator until told to exit. */
export function serve(start: () => Promise<RunningServer>): void {
  // The orchestrator going away must never leave a server behind.
  process.on('disconnect', () => process.exit(0));
  start().then(
    (server) => {
      process.on('message', (msg: ServerRequest) => answer(server, msg));
      send({
        type: 'ready',
        port: server.port,
        path: server.path,
        dialect: server.dialect,
        version: server.version,
      });
    },
    (err: unknown) => {
      const reason =
        err instanceof Unavailable
          ? err.message
          : `failed to start: ${(err as Error)?.stack ?? String(err)}`;
      send({ type: 'unavailable', reason });
      setTimeout(() => process.exit(0), 100).unref();
    },
  );
}

function answer(server: RunningServer, msg: ServerRequest): void {
  switch (msg.cmd) {
    case 'cpu':
      return send({ type: 'reply', id: msg.id, cpu: process.cpuUsage() });
    case 'mem': {
      gc();
      const m = process.memoryUsage();
      return send({
        type: 'reply',
        id: msg.id,
        mem: { heapUsed: m.heapUsed, rss: m.rss, external: m.external },
      });
    }
    case 'clients':
      return send({ type: 'reply', id: msg.id, clients: server.clients() });
    case 'snapshot':
      gc();
      writeHeapSnapshot(msg.path);
      return send({ type: 'reply', id: msg.id });
    case 'exit':
      // process.exit (not a signal) so that --cpu-prof writes its profile.
      send({ type: 'reply', id: msg.id });
      setImmediate(() => process.exit(0));
  }
}

/** Version of an installed package, read from its package.json. */
export function versionOf(pkg: string): string {
  try {
    // Read the file: some packages do not export ./package.json.
    return (
      JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return '?';
  }
}

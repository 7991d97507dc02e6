/**
 * The socket servers of an app: the app's own (port 0 gateways), and one per other port
 * named in `@WebSocketGateway(port)`, as NestJS creates them.
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from '../server';
import { bootstrapError } from './exceptions/bootstrap-error';
import type { GatewayPlan } from './scanner';

/** The app's servers by port; 0 is the app's own (`app.server`). */
export type Servers = Map<number, Server>;

/** What building the servers needs from `createApp`'s options. */
export interface ServerSettings {
  httpServer?: HttpServer;
  serverOptions?: ServerOptions;
}

/**
 * One server per port. Options: each gateway's, in list order, then
 * `createApp({ serverOptions })`. The app's server always exists, even without gateways.
 */
export function createServers(settings: ServerSettings, plans: readonly GatewayPlan[]): Servers {
  const byPort = new Map<number, ServerOptions>([[0, {}]]);
  for (const plan of plans) {
    const merged = byPort.get(plan.port) ?? {};
    Object.assign(merged, plan.serverOptions);
    byPort.set(plan.port, merged);
  }
  const servers: Servers = new Map();
  for (const [port, merged] of byPort) {
    Object.assign(merged, settings.serverOptions);
    const main = port === 0 && settings.httpServer !== undefined;
    servers.set(
      port,
      main ? new Server(settings.httpServer as HttpServer, merged) : new Server(merged),
    );
  }
  return servers;
}

/**
 * Listens on each gateway port (the app's own server listens in `app.listen()`).
 * @throws WiregateError `WG_ERR_BOOTSTRAP` naming the port when it cannot be bound.
 */
export async function listenGatewayPorts(servers: Servers): Promise<void> {
  for (const [port, server] of servers) {
    if (port === 0) continue;
    const http = server.listen(port).httpServer as HttpServer;
    if (http.listening) continue;
    await new Promise<void>((resolve, reject) => {
      http.once('listening', resolve);
      http.once('error', (err: Error) =>
        reject(bootstrapError(`@WebSocketGateway(${port}): cannot listen on port ${port}`, err)),
      );
    });
  }
}

/**
 * Starts the dashboard: an HTTP server for the page, with the gateway app attached to it.
 * @module
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { join, resolve } from 'node:path';
import { container } from 'tsyringe';
import { createApp, type App } from 'wiregate';
import { DashboardGateway } from './dashboard.gateway';
import { DASHBOARD_SETTINGS, DEFAULT_SETTINGS, type DashboardSettings } from './dashboard-options';

/** Options of `startDashboard`. */
export interface DashboardOptions extends Partial<DashboardSettings> {
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on. Default: all of them. */
  host?: string;
}

/** A running dashboard. */
export interface RunningDashboard {
  readonly app: App;
  readonly port: number;
  /** Closes the sockets, the HTTP server and the sampling interval. */
  close(): Promise<void>;
}

// The same path from samples/dashboard (run by jest) and from dist-samples/dashboard
// (compiled by `npm run sample:dashboard`): both are two levels below the repository root.
const PAGE_FILE = resolve(__dirname, '..', '..', 'samples', 'dashboard', 'index.html');
const CLIENT_BUNDLE = join(
  require.resolve('socket.io-client/package.json'),
  '..',
  'dist',
  'socket.io.min.js',
);

/**
 * Starts the dashboard on `options.port`.
 *
 * @example
 * const dashboard = await startDashboard({ port: 0, intervalMs: 50 });
 * console.log(`http://localhost:${dashboard.port}`);
 * await dashboard.close();
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<RunningDashboard> {
  const settings: DashboardSettings = {
    intervalMs: options.intervalMs ?? DEFAULT_SETTINGS.intervalMs,
    historySize: options.historySize ?? DEFAULT_SETTINGS.historySize,
  };
  // The app resolves from a child of this container; our settings are visible to it.
  const scope = container.createChildContainer();
  scope.register(DASHBOARD_SETTINGS, { useValue: settings });
  const httpServer = createServer(servePage);
  const app = await createApp({ gateways: [DashboardGateway], container: scope, httpServer });
  await listenOn(httpServer, options.port ?? 3000, options.host).catch(async (err: unknown) => {
    await app.close();
    throw err;
  });
  const port = await app.listen(); // already listening: resolves with the bound port
  return { app, port, close: () => app.close() };
}

function listenOn(server: HttpServer, port: number, host: string | undefined): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}

/** `/` is the page, `/socket.io.min.js` the official client bundle; anything else is 404. */
function servePage(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && (path === '/' || path === '/index.html'))
    return send(res, PAGE_FILE, 'text/html; charset=utf-8');
  if (req.method === 'GET' && path === '/socket.io.min.js')
    return send(res, CLIENT_BUNDLE, 'text/javascript; charset=utf-8');
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
}

function send(res: ServerResponse, file: string, type: string): void {
  res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
}

/**
 * Starts the chat gateway app on an HTTP server that also serves the chat page.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { join, resolve } from 'node:path';
import { createApp, type App } from 'wiregate';
import { ChatGateway } from './chat.gateway';

/** Options of `startChatGateway`. */
export interface ChatGatewayOptions {
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on. Default: all of them. */
  host?: string;
}

/** A running chat server. */
export interface RunningChat {
  readonly app: App;
  readonly port: number;
  close(): Promise<void>;
}

// The page is the socket-layer chat sample's (samples/chat); this server speaks its protocol.
// Two levels up is the repository root from samples/chat-gateway (jest) and from
// dist-samples/chat-gateway (compiled).
const ROOT = resolve(__dirname, '..', '..');
const PAGE_FILE = join(ROOT, 'samples', 'chat', 'public', 'index.html');
const CLIENT_BUNDLE = join(
  require.resolve('socket.io-client/package.json'),
  '..',
  'dist',
  'socket.io.min.js',
);

/**
 * Starts the chat on `options.port`.
 *
 * @example
 * const chat = await startChatGateway({ port: 0 });
 * await chat.close();
 */
export async function startChatGateway(options: ChatGatewayOptions = {}): Promise<RunningChat> {
  const httpServer = createServer(servePage);
  // serveClient: the page loads the official client from /socket.io/socket.io.min.js.
  const app = await createApp({
    gateways: [ChatGateway],
    httpServer,
    serverOptions: { serveClient: true },
  });
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

/** `/` is the chat page; `/socket.io.min.js` the client bundle the page falls back to. */
function servePage(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && (path === '/' || path === '/index.html') && existsSync(PAGE_FILE)) {
    res.setHeader('cache-control', 'no-store');
    return send(res, PAGE_FILE, 'text/html; charset=utf-8');
  }
  if (req.method === 'GET' && path === '/socket.io.min.js')
    return send(res, CLIENT_BUNDLE, 'text/javascript; charset=utf-8');
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
}

function send(res: ServerResponse, file: string, type: string): void {
  res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
}

/**
 * The Engine.IO server: attaches to an HTTP server at `path`, validates requests,
 * opens sessions and routes each request or WebSocket to its session.
 * @module
 */
import { EventEmitter } from 'node:events';
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkRequest, ENGINE_ERRORS, parseQuery, refusal, type EngineQuery, type EngineRefusal } from './handshake';
import { EngineSession } from './session';
import { PollingTransport, type PollingSettings } from './transports/polling';
import type { Transport, TransportName } from './transports/transport';
import { WebSocketTransport } from './transports/websocket';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './options';

/** An Engine.IO-level middleware (Express-compatible signature). */
export type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Payload of the `connection_error` event. */
export interface ConnectionErrorEvent {
  req: IncomingMessage;
  code: number;
  message: string;
  context: Record<string, unknown>;
}

/**
 * The Engine.IO server, exposed as `io.engine`.
 *
 * Events: `connection(session)`, `connection_error({ req, code, message, context })`,
 * `initial_headers(headers, req)`, `headers(headers, req)`.
 *
 * @example
 * io.engine.on('connection_error', (err) => console.log(err.code, err.message));
 */
export class EngineServer extends EventEmitter {
  /** Live sessions by id. */
  readonly clients = new Map<string, EngineSession>();
  readonly opts: ResolvedEngineOptions;
  private readonly wss: WebSocketServer;
  private middlewares: EngineMiddleware[] = [];
  private httpServer: HttpServer | null = null;
  private detachHttp: (() => void) | null = null;
  private readonly pollingSettings: PollingSettings;

  constructor(options: EngineOptions = {}) {
    super();
    this.opts = resolveEngineOptions(options);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.opts.maxHttpBufferSize,
      perMessageDeflate: this.opts.perMessageDeflate,
    });
    this.pollingSettings = {
      maxHttpBufferSize: this.opts.maxHttpBufferSize,
      decorateHeaders: (headers, req) => {
        this.emit('headers', headers, req);
      },
    };
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.clients.size;
  }

  /** Creates a session id; override to use your own (may return a Promise). */
  generateId(_req: IncomingMessage): string | Promise<string> {
    return randomBytes(15).toString('base64url');
  }

  /** Adds an Engine.IO-level middleware, run before every request under `path`. */
  use(middleware: EngineMiddleware): void {
    this.middlewares.push(middleware);
  }

  /** Attaches to an HTTP server: requests under `path` are ours, the rest go to the server's other listeners. */
  attach(server: HttpServer): void {
    const prefix = this.opts.pathPrefix;
    const previous = server.listeners('request').slice(0) as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== undefined && req.url.startsWith(prefix)) this.handleRequest(req, res);
      else for (const listener of previous) listener.call(server, req, res);
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url !== undefined && req.url.startsWith(prefix)) this.handleUpgrade(req, socket, head);
      else if (this.opts.destroyUpgrade) destroyUnansweredUpgrade(socket, this.opts.destroyUpgradeTimeout);
    };
    server.on('request', onRequest);
    server.on('upgrade', onUpgrade);
    this.httpServer = server;
    this.detachHttp = () => {
      server.off('request', onRequest);
      server.off('upgrade', onUpgrade);
      for (const listener of previous) server.on('request', listener);
    };
  }

  /** Handles one HTTP request under `path` (polling, or a refusal). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.runMiddlewares(req, res, () => {
      const query = parseQuery(req.url);
      const refused = this.verify(req, query, false);
      if (refused) return this.refuseHttp(req, res, refused);
      if (query.sid !== undefined) {
        const session = this.clients.get(query.sid)!;
        return (session.transport as PollingTransport).onRequest(req, res);
      }
      void this.allowRequest(req).then((allowed) => {
        if (allowed !== true) return this.refuseHttp(req, res, forbidden(allowed));
        return this.openSession(req, query, () => new PollingTransport(req, this.pollingSettings), (r) =>
          this.refuseHttp(req, res, r),
        ).then((transport) => (transport as PollingTransport | null)?.onRequest(req, res));
      });
      return undefined;
    }, (err) => this.refuseHttp(req, res, refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'MIDDLEWARE_FAILURE', error: err })));
  }

  /** Handles a WebSocket upgrade under `path`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', noop);
    // Engine-level middlewares (e.g. cors, sessions) expect a response object even on upgrades.
    const res = new ServerResponse(req);
    this.runMiddlewares(req, res, () => {
      const query = parseQuery(req.url);
      const refused = this.verify(req, query, true);
      if (refused) return this.refuseUpgrade(req, socket, refused);
      if (query.sid !== undefined) {
        this.wss.handleUpgrade(req, socket, head, (ws) => this.onUpgradeWebSocket(ws, req, query.sid!));
        return undefined;
      }
      void this.allowRequest(req).then((allowed) => {
        if (allowed !== true) return this.refuseUpgrade(req, socket, forbidden(allowed));
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', noop);
          void this.openSession(req, query, () => new WebSocketTransport(ws, req), (r) => {
            this.emitConnectionError(req, r);
            ws.close();
          });
        });
        return undefined;
      });
      return undefined;
    }, (err) => this.refuseUpgrade(req, socket, refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'MIDDLEWARE_FAILURE', error: err })));
  }

  /** Closes every session and detaches from the HTTP server. */
  close(): this {
    for (const session of [...this.clients.values()]) session.closeWithReason('server shutting down', true);
    this.detachHttp?.();
    this.detachHttp = null;
    this.httpServer = null;
    return this;
  }


  private verify(req: IncomingMessage, query: EngineQuery, isUpgrade: boolean): EngineRefusal | null {
    const refused = checkRequest(req, query, this.opts.transports, isUpgrade);
    if (refused || query.sid === undefined) return refused;
    const session = this.clients.get(query.sid);
    if (!session) return refusal(ENGINE_ERRORS.UNKNOWN_SID, { sid: query.sid });
    if (!isUpgrade && session.transport.name !== query.transport) {
      return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'TRANSPORT_MISMATCH', transport: query.transport });
    }
    return null;
  }

  private onUpgradeWebSocket(ws: WebSocket, req: IncomingMessage, sid: string): void {
    ws.on('error', noop);
    const session = this.clients.get(sid);
    // protocol.md §2.8: a sid that is gone, already upgraded or upgrading just loses this WebSocket.
    if (!session || session.upgraded || session.upgrading || session.transport.name === 'websocket' || !this.opts.allowUpgrades) {
      ws.close();
      return;
    }
    session.maybeUpgrade(new WebSocketTransport(ws, req));
  }

  /** Step 5 of protocol.md §2.3, then the open packet. Resolves to the new transport, or null when refused. */
  private async openSession(
    req: IncomingMessage,
    query: EngineQuery,
    createTransport: () => Transport,
    refuse: (refused: EngineRefusal) => void,
  ): Promise<Transport | null> {
    if (query.EIO !== '4') {
      refuse(refusal(ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION, { protocol: query.EIO }));
      return null;
    }
    let id: string;
    try {
      id = await this.generateId(req);
    } catch (error) {
      refuse(refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'ID_GENERATION_ERROR', error }));
      return null;
    }
    const transport = createTransport();
    const session = new EngineSession(id, transport, {
      pingInterval: this.opts.pingInterval,
      pingTimeout: this.opts.pingTimeout,
      upgradeTimeout: this.opts.upgradeTimeout,
      maxHttpBufferSize: this.opts.maxHttpBufferSize,
      upgrades: transport.name === 'polling' && this.opts.allowUpgrades && this.opts.transports.includes('websocket') ? ['websocket'] : [],
    });
    this.clients.set(id, session);
    session.once('close', () => this.clients.delete(id));
    const headers: OutgoingHttpHeaders = {};
    if (this.opts.cookie) headers['Set-Cookie'] = serializeCookie(this.opts.cookie, id);
    this.emit('initial_headers', headers, req);
    session.open(this.opts.initialPacket);
    this.emit('connection', session);
    return transport;
  }

  private allowRequest(req: IncomingMessage): Promise<true | string> {
    const check = this.opts.allowRequest;
    if (!check) return Promise.resolve(true);
    return new Promise((resolve) => {
      try {
        check(req, (err, success) => resolve(success ? true : (err ?? '')));
      } catch {
        resolve('');
      }
    });
  }

  private runMiddlewares(req: IncomingMessage, res: ServerResponse, done: () => void, fail: (err: unknown) => void): void {
    const list = this.middlewares;
    if (list.length === 0) return done();
    let i = 0;
    const next = (err?: unknown): void => {
      if (err) return fail(err);
      const middleware = list[i++];
      if (!middleware) return done();
      try {
        middleware(req, res, next);
      } catch (error) {
        fail(error);
      }
    };
    next();
  }

  private refuseHttp(req: IncomingMessage, res: ServerResponse, refused: EngineRefusal): void {
    this.emitConnectionError(req, refused);
    const body = JSON.stringify({ code: refused.code, message: refused.message });
    const headers: OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
    this.emit('headers', headers, req);
    if (res.headersSent) return;
    res.writeHead(refused.code === ENGINE_ERRORS.FORBIDDEN.code ? 403 : 400, headers);
    res.end(body);
  }

  private refuseUpgrade(req: IncomingMessage, socket: Duplex, refused: EngineRefusal): void {
    this.emitConnectionError(req, refused);
    if (socket.writable) {
      const body = refused.message;
      socket.write(
        'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  }

  private emitConnectionError(req: IncomingMessage, refused: EngineRefusal): void {
    if (this.listenerCount('connection_error') > 0) {
      this.emit('connection_error', { req, code: refused.code, message: refused.message, context: refused.context });
    }
  }
}

function destroyUnansweredUpgrade(socket: Duplex, timeout: number): void {
  setTimeout(() => {
    const net = socket as Duplex & { bytesWritten?: number };
    if (socket.writable && (net.bytesWritten ?? 0) <= 0) socket.end();
  }, timeout).unref();
}

function forbidden(message: string): EngineRefusal {
  return refusal(ENGINE_ERRORS.FORBIDDEN, {}, message || ENGINE_ERRORS.FORBIDDEN.message);
}

function serializeCookie(cookie: Exclude<ResolvedEngineOptions['cookie'], false>, sid: string): string {
  let out = `${cookie.name}=${encodeURIComponent(sid)}`;
  if (cookie.path) out += `; Path=${cookie.path}`;
  if (cookie.domain) out += `; Domain=${cookie.domain}`;
  if (cookie.maxAge !== undefined) out += `; Max-Age=${Math.floor(cookie.maxAge)}`;
  if (cookie.expires) out += `; Expires=${cookie.expires.toUTCString()}`;
  if (cookie.httpOnly) out += '; HttpOnly';
  if (cookie.secure) out += '; Secure';
  if (cookie.sameSite) {
    const s = cookie.sameSite === true ? 'Strict' : String(cookie.sameSite);
    out += `; SameSite=${s.charAt(0).toUpperCase()}${s.slice(1).toLowerCase()}`;
  }
  if (cookie.partitioned) out += '; Partitioned';
  return out;
}

function noop(): void {}

export type { TransportName };

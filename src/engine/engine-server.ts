/**
 * The Engine.IO server: attaches to an HTTP server at `path`, validates requests,
 * opens sessions and routes each request or WebSocket to its session.
 * @module
 */
import { EventEmitter } from 'node:events';
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createRandomId } from '../shared/random-id';
import { ClientBundle } from './client-bundle';
import { serializeCookie } from './cookie';
import { createCorsMiddleware } from './cors';
import {
  checkRequest,
  ENGINE_ERRORS,
  forbidden,
  middlewareFailure,
  parseQuery,
  refusal,
  serverClosed,
  type EngineQuery,
  type EngineRefusal,
} from './handshake';
import { askAllowRequest, runMiddlewares, type EngineMiddleware } from './middleware-chain';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './options';
import {
  isServerFull,
  refusalStatus,
  refusalStatusLine,
  resolveEngineLimits,
  serverFullRefusal,
  type EngineLimits,
} from './limits';
import { EngineSession, type EngineProtocol, type SessionSettings } from './session';
import { PollingTransport, type PollingSettings } from './transports/polling';
import type { Transport, TransportName } from './transports/transport';
import { WebSocketTransport } from './transports/websocket';
import { clientTakesBinary, protocolOf } from './v3/handshake';
import { PollingTransportV3 } from './v3/polling';
import { WebSocketTransportV3 } from './v3/websocket';

export type { EngineMiddleware };

/** Payload of the `connection_error` event. */
export interface ConnectionErrorEvent {
  req: IncomingMessage;
  code: number;
  message: string;
  context: Record<string, unknown>;
}

/**
 * What the `headers` listener of the WebSocket server needs to know about one upgrade.
 * An opening upgrade with nothing to add (no middleware headers, no cookie) has none.
 */
interface PendingUpgrade {
  /** Headers a middleware set on the stand-in response (e.g. a session cookie). */
  extra: OutgoingHttpHeaders | null;
  isOpening: boolean;
  /** The new session's id when this upgrade opens a session. */
  id: string | null;
}

/**
 * The Engine.IO server, exposed as `io.engine`; usable alone on `/engine.io`.
 *
 * Events: `connection(session)`, `connection_error({ req, code, message, context })`,
 * `initial_headers(headers, req)`, `headers(headers, req)`.
 *
 * @example
 * const engine = new EngineServer({ pingInterval: 300, pingTimeout: 200 });
 * engine.attach(httpServer);
 * engine.on('connection', (session) => session.on('message', (data) => session.send(data)));
 */
export class EngineServer extends EventEmitter {
  /** Live sessions by id (including sessions whose graceful close is under way). */
  readonly clients = new Map<string, EngineSession>();
  readonly opts: ResolvedEngineOptions;
  private readonly wss: WebSocketServer;
  private readonly middlewares: EngineMiddleware[] = [];
  private readonly bundle = new ClientBundle();
  private readonly pendingUpgrades = new WeakMap<IncomingMessage, PendingUpgrade>();
  /** Polling transports of closed sessions that still owe the client `6\x1e1` (docs/internals/wire-protocol.md, "Closing a session"). */
  private readonly lingering = new Map<string, PollingTransport>();
  private pollingSessionSettings: SessionSettings | null = null;
  private websocketSessionSettings: SessionSettings | null = null;
  private readonly pollingSettings: PollingSettings;
  /** Connection and buffer limits (engine/limits.ts, docs/limits.md). */
  readonly limits: EngineLimits;
  private isClosed = false;

  constructor(options: EngineOptions = {}) {
    super();
    this.opts = resolveEngineOptions(options);
    this.limits = resolveEngineLimits(options);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.opts.maxHttpBufferSize,
      perMessageDeflate: this.opts.perMessageDeflate,
    });
    this.wss.on('headers', (lines: string[], req: IncomingMessage) => this.onUpgradeHeaders(lines, req));
    // docs/internals/wire-protocol.md, "Request checks and refusals": CORS runs first, before the application's engine middlewares.
    if (this.opts.cors !== null) this.middlewares.push(createCorsMiddleware(this.opts.cors));
    this.pollingSettings = {
      maxHttpBufferSize: this.opts.maxHttpBufferSize,
      // A client that is still there polls again within milliseconds; pingTimeout bounds a gone one.
      lingerTimeout: this.opts.pingTimeout,
      httpCompression: this.opts.httpCompression,
      decorateHeaders: (headers, req) => {
        this.emit('headers', headers, req);
      },
    };
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.clients.size;
  }

  /** Creates a session id (20 URL-safe characters, 15 CSPRNG bytes); override to use your own (may return a Promise). */
  generateId(_req: IncomingMessage): string | Promise<string> {
    return createRandomId();
  }

  /** Adds an Engine.IO-level middleware, run before every request under `path` (and on upgrades). */
  use(middleware: EngineMiddleware): void {
    this.middlewares.push(middleware);
  }

  /** Attaches to an HTTP server: requests under `path` are ours, the rest go to the server's other listeners. */
  attach(server: HttpServer): this {
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
    this.isClosed = false;
    return this;
  }

  /** Handles one HTTP request under `path`: the client bundle, polling, or a refusal. */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const file = this.opts.serveClient ? ClientBundle.fileFor(req.url ?? '', this.opts.path) : null;
    if (file !== null && (req.method === 'GET' || req.method === 'HEAD') && this.bundle.isAvailable) {
      return this.serveBundle(req, res, file);
    }
    runMiddlewares(this.middlewares, req, res, (err) => {
      if (err !== undefined) return this.refuseHttp(req, res, middlewareFailure(err));
      // A middleware answered on its own (a CORS preflight).
      if (res.headersSent || res.writableEnded) return;
      const query = parseQuery(req.url);
      const refused = this.verify(req, query, false);
      if (refused) return this.refuseHttp(req, res, refused);
      if (query.sid !== undefined) return this.pollingTransportOf(query.sid)!.onRequest(req, res);
      if (this.isClosed) return this.refuseHttp(req, res, serverClosed());
      if (isServerFull(this.clients.size, this.limits))
        return this.refuseHttp(req, res, serverFullRefusal(this.limits));
      void this.openPolling(req, res, query);
    });
  }

  /**
   * Handles a WebSocket upgrade under `path`. Connection setup (docs/benchmarks.md, finding
   * 3): without engine middlewares, `allowRequest` or an asynchronous `generateId`, the
   * upgrade is handed to `ws` at once, with no stand-in response, promise or extra listener.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.middlewares.length === 0) return this.routeUpgrade(req, socket, head, null);
    // The HTTP server let go of the socket: an error while the middlewares run must not go unheard.
    socket.on('error', noop);
    // Engine-level middlewares (cors, sessions) expect a response object even on upgrades.
    const res = new ServerResponse(req);
    runMiddlewares(this.middlewares, req, res, (err) => {
      if (err !== undefined) return this.refuseUpgrade(req, socket, middlewareFailure(err));
      if (res.writableEnded) return void socket.destroy();
      this.routeUpgrade(req, socket, head, res.getHeaders());
    });
  }

  private routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, extra: OutgoingHttpHeaders | null): void {
    const query = parseQuery(req.url);
    const refused = this.verify(req, query, true);
    if (refused) return this.refuseUpgrade(req, socket, refused);
    if (this.isClosed) return this.refuseUpgrade(req, socket, serverClosed());
    if (query.sid === undefined) {
      if (isServerFull(this.clients.size, this.limits)) return this.refuseUpgrade(req, socket, serverFullRefusal(this.limits));
      return this.openWebSocket(req, socket, head, query, extra);
    }
    this.pendingUpgrades.set(req, { extra, isOpening: false, id: null });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onUpgradeWebSocket(ws, req, query));
  }

  /**
   * Closes every session (no flush: held GETs get `1`, WebSockets a close frame). The
   * engine stays attached so that a request still arriving on a kept-alive connection is
   * answered (refused, with `Connection: close`) instead of hanging the HTTP server's close.
   */
  close(): this {
    this.isClosed = true;
    for (const session of [...this.clients.values()]) session.closeWithReason('server shutting down', true);
    for (const transport of [...this.lingering.values()]) transport.close(true);
    return this;
  }

  private verify(req: IncomingMessage, query: EngineQuery, isUpgrade: boolean): EngineRefusal | null {
    const refused = checkRequest(req, query, this.opts.transports, isUpgrade);
    if (refused || query.sid === undefined) return refused;
    const session = this.clients.get(query.sid);
    if (!session) {
      if (!isUpgrade && query.transport === 'polling' && this.lingering.has(query.sid)) return null;
      return refusal(ENGINE_ERRORS.UNKNOWN_SID, { sid: query.sid });
    }
    if (!isUpgrade && session.transport.name !== query.transport) {
      return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'TRANSPORT_MISMATCH', transport: query.transport });
    }
    // As the reference does: a request of a session must speak the session's revision.
    if (session.protocol !== 4 || query.EIO !== '4') {
      const protocol = protocolOf(query.EIO);
      if (protocol !== session.protocol)
        return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'PROTOCOL_MISMATCH', protocol, previousProtocol: session.protocol });
    }
    return null;
  }

  private pollingTransportOf(sid: string): PollingTransport | undefined {
    const session = this.clients.get(sid);
    return session !== undefined ? (session.transport as PollingTransport) : this.lingering.get(sid);
  }

  private async openPolling(req: IncomingMessage, res: ServerResponse, query: EngineQuery): Promise<void> {
    const allowed = await askAllowRequest(this.opts.allowRequest, req);
    if (allowed !== true) return this.refuseHttp(req, res, forbidden(allowed));
    const id = await this.newSessionId(req, query);
    if (typeof id !== 'string') return this.refuseHttp(req, res, id);
    // The client may have gone while allowRequest or generateId ran.
    if (req.socket.destroyed) return;
    // Chosen once per session: a v4 session never meets the v3 framing.
    const protocol = protocolOf(query.EIO);
    const transport =
      protocol === 4
        ? new PollingTransport(req, this.pollingSettings)
        : new PollingTransportV3(req, this.pollingSettings, clientTakesBinary(req));
    transport.openingHeaders = this.openingHeaders(req, id);
    this.startSession(id, transport, protocol);
    transport.onRequest(req, res);
  }

  private openWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, query: EngineQuery, extra: OutgoingHttpHeaders | null): void {
    if (!this.opts.allowRequest) return this.upgradeWithId(req, socket, head, query, extra);
    socket.on('error', noop);
    // Rejections: askAllowRequest never rejects, and upgradeWithId handles its own.
    void askAllowRequest(this.opts.allowRequest, req).then((allowed) => {
      if (allowed !== true) this.refuseUpgrade(req, socket, forbidden(allowed));
      else this.upgradeWithId(req, socket, head, query, extra);
    });
  }

  /**
   * The id is made before the 101 so that the cookie can ride on it; a refusal here
   * (protocol version, id generation) still lets the WebSocket open, then closes it (§2.3).
   */
  private upgradeWithId(req: IncomingMessage, socket: Duplex, head: Buffer, query: EngineQuery, extra: OutgoingHttpHeaders | null): void {
    const id = this.newSessionId(req, query);
    const protocol = protocolOf(query.EIO);
    if (!(id instanceof Promise)) return this.completeOpening(req, socket, head, extra, id, protocol);
    socket.on('error', noop);
    // newSessionId's promise never rejects (a failure is a refusal).
    void id.then((resolved) => this.completeOpening(req, socket, head, extra, resolved, protocol));
  }

  private completeOpening(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    extra: OutgoingHttpHeaders | null,
    id: string | EngineRefusal,
    protocol: EngineProtocol,
  ): void {
    const isId = typeof id === 'string';
    if (extra !== null || (isId && this.opts.cookie)) this.pendingUpgrades.set(req, { extra, isOpening: true, id: isId ? id : null });
    // The 101 response and the open packet leave in one write (docs/benchmarks.md, finding 7);
    // a refused handshake ends or destroys the socket, which releases the cork.
    socket.cork();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (typeof id !== 'string') {
        socket.uncork();
        this.emitConnectionError(req, id);
        // As the reference does: the refusal, as an HTTP response, follows the 101 on the same
        // connection, which then ends. A client's WebSocket fails on it at once (a close frame
        // instead left socket.io-client 2.x waiting for its 20 s connect timeout).
        ws.on('error', noop);
        writeRawRefusal(socket, id);
        return;
      }
      const transport =
        protocol === 4 ? new WebSocketTransport(ws, req, true) : new WebSocketTransportV3(ws, req, clientTakesBinary(req), true);
      this.startSession(id, transport, protocol);
    });
  }

  /** docs/internals/wire-protocol.md, "Upgrade", step 1: only a polling session that is not upgrading yet may take this WebSocket. */
  private onUpgradeWebSocket(ws: WebSocket, req: IncomingMessage, query: EngineQuery): void {
    const session = this.clients.get(query.sid!);
    if (
      session === undefined ||
      query.transport !== 'websocket' ||
      !this.opts.allowUpgrades ||
      session.readyState !== 'open' ||
      session.transport.name !== 'polling' ||
      session.upgrading ||
      session.upgraded
    ) {
      ws.on('error', noop);
      ws.close();
      return;
    }
    session.maybeUpgrade(
      session.protocol === 4
        ? new WebSocketTransport(ws, req)
        : new WebSocketTransportV3(ws, req, clientTakesBinary(session.request)),
    );
  }

  /** The 101 response: middleware headers, the cookie, then `initial_headers` and `headers` listeners. */
  private onUpgradeHeaders(lines: string[], req: IncomingMessage): void {
    const pending = this.pendingUpgrades.get(req);
    // No entry: an opening upgrade with no headers of its own (see PendingUpgrade).
    if (pending === undefined && this.listenerCount('initial_headers') === 0 && this.listenerCount('headers') === 0) return;
    this.pendingUpgrades.delete(req);
    const headers: OutgoingHttpHeaders = { ...pending?.extra };
    if (pending === undefined || pending.isOpening) {
      const id = pending?.id ?? null;
      if (id !== null && this.opts.cookie) headers['Set-Cookie'] = serializeCookie(this.opts.cookie, id);
      this.emit('initial_headers', headers, req);
    }
    this.emit('headers', headers, req);
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) lines.push(`${name}: ${v}`);
      else lines.push(`${name}: ${value}`);
    }
  }

  /**
   * The opening checks of docs/internals/wire-protocol.md, "Request checks and refusals": the new session id or the refusal; a Promise (that never
   * rejects) only when `generateId` returned one.
   */
  private newSessionId(req: IncomingMessage, query: EngineQuery): string | EngineRefusal | Promise<string | EngineRefusal> {
    if (query.EIO !== '4' && !this.opts.allowEIO3) {
      return refusal(ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION, { protocol: query.EIO });
    }
    let id: string | Promise<string>;
    try {
      id = this.generateId(req);
    } catch (error) {
      return idGenerationRefusal(error);
    }
    if (typeof id === 'string') return id;
    return Promise.resolve(id).then(undefined, idGenerationRefusal);
  }

  private openingHeaders(req: IncomingMessage, id: string): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    if (this.opts.cookie) headers['Set-Cookie'] = serializeCookie(this.opts.cookie, id);
    this.emit('initial_headers', headers, req);
    return headers;
  }

  private startSession(id: string, transport: Transport, protocol: EngineProtocol): void {
    const session = new EngineSession(id, transport, this.sessionSettings(transport.name === 'polling'), protocol);
    this.clients.set(id, session);
    // docs/internals/code-style.md, "No per-connection closures": the session tells the engine of its close by a direct call through
    // `session.engine` (a closure plus a `once` wrapper per session cost ~0.2 kB each).
    session.engine = this;
    session.open(this.opts.initialPacket);
    this.emit('connection', session);
  }

  /** @internal A session ended: forget it, keep its lingering polling transport. */
  onSessionClose(session: EngineSession): void {
    const id = session.id;
    if (this.clients.get(id) === session) this.clients.delete(id);
    const last = session.transport;
    if (last instanceof PollingTransport && last.isLingering) {
      this.lingering.set(id, last);
      last.onLingerEnd = () => this.lingering.delete(id);
    }
  }

  /**
   * The settings every session shares (one object per kind instead of one per session,
   * docs/benchmarks.md finding 4); rebuilt when the options they come from changed.
   */
  private sessionSettings(polling: boolean): SessionSettings {
    const canUpgrade = polling && this.opts.allowUpgrades && this.opts.transports.includes('websocket');
    const cached = polling ? this.pollingSessionSettings : this.websocketSessionSettings;
    if (
      cached !== null &&
      cached.pingInterval === this.opts.pingInterval &&
      cached.pingTimeout === this.opts.pingTimeout &&
      cached.upgradeTimeout === this.opts.upgradeTimeout &&
      cached.maxHttpBufferSize === this.opts.maxHttpBufferSize &&
      cached.maxBufferedBytes === this.limits.maxBufferedBytes &&
      cached.upgrades.length === (canUpgrade ? 1 : 0)
    )
      return cached;
    const upgrades: TransportName[] = canUpgrade ? ['websocket'] : [];
    const settings: SessionSettings = {
      pingInterval: this.opts.pingInterval,
      pingTimeout: this.opts.pingTimeout,
      upgradeTimeout: this.opts.upgradeTimeout,
      maxHttpBufferSize: this.opts.maxHttpBufferSize,
      maxBufferedBytes: this.limits.maxBufferedBytes,
      upgrades,
    };
    if (polling) this.pollingSessionSettings = settings;
    else this.websocketSessionSettings = settings;
    return settings;
  }

  private serveBundle(req: IncomingMessage, res: ServerResponse, file: string): void {
    const cors = this.opts.cors !== null ? this.middlewares[0] : null;
    if (cors === null) return this.bundle.serve(req, res, file);
    cors(req, res, (err) => {
      if (err !== undefined) this.refuseHttp(req, res, middlewareFailure(err));
      else this.bundle.serve(req, res, file);
    });
  }

  private refuseHttp(req: IncomingMessage, res: ServerResponse, refused: EngineRefusal): void {
    this.emitConnectionError(req, refused);
    if (res.headersSent || res.writableEnded) return;
    const body = JSON.stringify({ code: refused.code, message: refused.message });
    const headers: OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
    this.emit('headers', headers, req);
    if (this.isClosed) headers.Connection = 'close';
    headers['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(refusalStatus(refused), headers);
    res.end(body);
  }

  private refuseUpgrade(req: IncomingMessage, socket: Duplex, refused: EngineRefusal): void {
    this.emitConnectionError(req, refused);
    writeRawRefusal(socket, refused);
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

function noop(): void {}

/** An upgrade refusal as a raw HTTP response (the status, then the message as body); the connection ends. */
function writeRawRefusal(socket: Duplex, refused: EngineRefusal): void {
  if (socket.writable) {
    const body = refused.message;
    socket.write(
      `HTTP/1.1 ${refusalStatusLine(refused)}\r\n` + 'Connection: close\r\nContent-type: text/html\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function idGenerationRefusal(error: unknown): EngineRefusal {
  return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'ID_GENERATION_ERROR', error });
}

export type { TransportName };

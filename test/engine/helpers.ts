// Raw-wire helpers for the engine tests: a bare EngineServer on 127.0.0.1:0, plain HTTP
// requests that return status/headers/body exactly, and a WebSocket frame reader.
// Everything opened here is closed by closeEngines() (afterEach).
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as netConnect } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';
import { EngineServer, type EngineOptions, type EngineSession } from '../../src/engine';

export interface EngineHarness {
  engine: EngineServer;
  httpServer: HttpServer;
  port: number;
  /** `/engine.io` or the configured path, without the trailing slash. */
  path: string;
  /** Resolves with the next session the engine opens. */
  nextSession(): Promise<EngineSession>;
}

const servers: { h: EngineHarness; sockets: Set<import('node:net').Socket> }[] = [];
const webSockets: WebSocket[] = [];

/** Starts a bare Engine.IO server that echoes every message (the conformance setup). */
export async function startEngine(opts: EngineOptions = {}, { echo = true } = {}): Promise<EngineHarness> {
  const httpServer = createServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  const engine = new EngineServer(opts);
  engine.attach(httpServer);
  const sessions: EngineSession[] = [];
  const waiting: ((s: EngineSession) => void)[] = [];
  engine.on('connection', (session: EngineSession) => {
    if (echo) session.on('message', (data: string | Buffer) => session.send(data));
    const w = waiting.shift();
    if (w) w(session);
    else sessions.push(session);
  });
  const sockets = new Set<import('node:net').Socket>();
  httpServer.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const h: EngineHarness = {
    engine,
    httpServer,
    port: (httpServer.address() as AddressInfo).port,
    path: engine.opts.path,
    nextSession: () => {
      const s = sessions.shift();
      return s ? Promise.resolve(s) : within(new Promise((resolve) => waiting.push(resolve)), 2000, 'engine connection');
    },
  };
  servers.push({ h, sockets });
  return h;
}

/** Closes every engine, HTTP server, socket and WebSocket the current test opened. */
export async function closeEngines(): Promise<void> {
  for (const ws of webSockets.splice(0)) ws.terminate();
  await Promise.all(
    servers.splice(0).map(({ h, sockets }) => {
      h.engine.close();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => h.httpServer.close(() => resolve()));
    }),
  );
}

/** Fails with `label` when `p` has not settled within `ms`. */
export function within<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Called with the ClientRequest once sent (to abort it, for instance). */
  onRequest?: (req: import('node:http').ClientRequest) => void;
}

/** One HTTP request on a fresh connection; resolves with the exact status, headers and body. */
export function request(port: number, method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
  return within(
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: opts.headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      opts.onRequest?.(req);
      req.end(opts.body);
    }),
    5000,
    `${method} ${path}`,
  );
}

/** Query string of an Engine.IO request. */
export function eio(path: string, params: Record<string, string>): string {
  return `${path}/?${new URLSearchParams(params).toString()}`;
}

export interface OpenResult {
  sid: string;
  handshake: Record<string, unknown>;
  response: RawResponse;
}

/** Opens a polling session: the GET whose body is the open packet. */
export async function openPolling(h: EngineHarness, headers?: Record<string, string>): Promise<OpenResult> {
  const response = await request(h.port, 'GET', eio(h.path, { EIO: '4', transport: 'polling', t: 'x1' }), { headers });
  expect(response.status).toBe(200);
  expect(response.text.charAt(0)).toBe('0');
  const first = response.text.split('\x1e')[0];
  const handshake = JSON.parse(first.slice(1)) as Record<string, unknown>;
  return { sid: handshake.sid as string, handshake, response };
}

/** GET and POST for an open polling session. */
export function poll(h: EngineHarness, sid: string, headers?: Record<string, string>): Promise<RawResponse> {
  return request(h.port, 'GET', eio(h.path, { EIO: '4', transport: 'polling', sid }), { headers });
}

export function post(h: EngineHarness, sid: string, body: string | Buffer, headers?: Record<string, string>): Promise<RawResponse> {
  return request(h.port, 'POST', eio(h.path, { EIO: '4', transport: 'polling', sid }), { body, headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers } });
}

export interface Frame {
  data: string | Buffer;
  isBinary: boolean;
}

/** A WebSocket client whose frames are read in order with bounded waits. */
export class WsClient {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Response headers of the 101. */
  upgradeHeaders: IncomingHttpHeaders = {};
  private readonly frames: Frame[] = [];
  private readonly waiters: ((f: Frame) => void)[] = [];

  constructor(url: string, opts: ClientOptions = {}) {
    this.ws = new WebSocket(url, opts);
    webSockets.push(this.ws);
    this.ws.on('upgrade', (res) => {
      this.upgradeHeaders = res.headers;
    });
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = { data: isBinary ? data : data.toString(), isBinary };
      const w = this.waiters.shift();
      if (w) w(frame);
      else this.frames.push(frame);
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    // Awaited only by tests that need it; a refused WebSocket must not be an unhandled rejection.
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('error', () => {});
  }

  /** The next frame (text frames as strings). */
  next(ms = 2000): Promise<Frame> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    return within(new Promise((resolve) => this.waiters.push(resolve)), ms, 'a websocket frame');
  }

  /** The next frame's text. */
  async nextText(ms = 2000): Promise<string> {
    const f = await this.next(ms);
    if (f.isBinary) throw new Error(`expected a text frame, got binary ${(f.data as Buffer).toString('hex')}`);
    return f.data as string;
  }

  /** Resolves once the 101 was received. */
  waitOpen(ms = 3000): Promise<void> {
    return within(this.opened, ms, 'websocket open');
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  waitClosed(ms = 3000): Promise<{ code: number; reason: string }> {
    return within(this.closed, ms, 'websocket close');
  }
}

export function wsUrl(h: EngineHarness, params: Record<string, string>): string {
  return `ws://127.0.0.1:${h.port}${eio(h.path, { EIO: '4', ...params })}`;
}

/** Sends raw bytes on a fresh TCP connection and resolves with everything received until the server closes it. */
export function rawExchange(port: number, data: string): Promise<string> {
  return within(
    new Promise((resolve, reject) => {
      const socket = netConnect(port, '127.0.0.1', () => socket.write(data));
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
    }),
    3000,
    'raw exchange',
  );
}

/** A WebSocket upgrade request for `path`, as raw text. */
export function upgradeRequest(path: string, extra = ''): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

/** Resolves with the close reason of a session. */
export function sessionClosed(session: EngineSession, ms = 3000): Promise<string> {
  return within(new Promise((resolve) => session.once('close', (reason: string) => resolve(reason))), ms, 'session close');
}

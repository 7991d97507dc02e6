/**
 * Engine.IO options, their socket.io defaults (docs/internals/wire-protocol.md, "Options and defaults") and their resolution.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { PerMessageDeflateOptions } from 'ws';
import type { CorsOptions, CorsOptionsDelegate } from './cors';
import type { EngineLimitOptions } from './limits';
import type { TransportName } from './transports/transport';

/** Attributes of the session cookie (option `cookie`). */
export interface CookieOptions {
  name?: string;
  path?: string;
  domain?: string;
  maxAge?: number;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: boolean | 'lax' | 'strict' | 'none';
  partitioned?: boolean;
}

/** Engine.IO-level options (a subset of `ServerOptions`). */
export interface EngineOptions extends EngineLimitOptions {
  /** Endpoint path; default `/engine.io` for a bare engine, `/socket.io` under `Server`. */
  path?: string;
  /** Default true: `/socket.io/` is matched; false matches `/socket.io` as a prefix. */
  addTrailingSlash?: boolean;
  /** ms between server pings. Default 25000. */
  pingInterval?: number;
  /** ms to wait for a pong. Default 20000. */
  pingTimeout?: number;
  /** ms an upgrade may take. Default 10000. */
  upgradeTimeout?: number;
  /** Largest POST body or WebSocket frame in bytes. Default 1e6. */
  maxHttpBufferSize?: number;
  /** Decides whether a new session may open: `callback(errorMessage, allowed)`. */
  allowRequest?: (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void;
  /** Enabled transports. Default `['polling', 'websocket']`. */
  transports?: TransportName[];
  /** Whether polling sessions may move to WebSocket. Default true. */
  allowUpgrades?: boolean;
  /** WebSocket compression; default false (`true` means `{ threshold: 1024 }`). */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Polling response compression; default `{ threshold: 1024 }`. */
  httpCompression?: boolean | { threshold?: number };
  /** Session cookie on the opening response; default false. */
  cookie?: boolean | CookieOptions;
  /** CORS for the endpoint (options of the `cors` package, or a per-request delegate). Default none. */
  cors?: CorsOptions | CorsOptionsDelegate;
  /**
   * Accept Engine.IO v3 clients (socket.io-client 2.x), as socket.io's option does. Default
   * false: they are refused with code 5 (`Unsupported protocol version`).
   */
  allowEIO3?: boolean;
  /**
   * Serve the official browser client (`socket.io-client`'s `dist/`) under `path`
   * (docs/internals/wire-protocol.md, "Client bundle"). Default false on a bare engine; `Server` passes its own option.
   */
  serveClient?: boolean;
  /** A message sent right after the open packet. */
  initialPacket?: string | Buffer;
  /** End upgrade requests outside `path` that nobody answered. Default true. */
  destroyUpgrade?: boolean;
  /** ms before such an upgrade is ended. Default 1000. */
  destroyUpgradeTimeout?: number;
}

/** Options after defaults, with every field present. */
export interface ResolvedEngineOptions {
  path: string;
  pathPrefix: string;
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  maxHttpBufferSize: number;
  allowRequest: EngineOptions['allowRequest'] | null;
  transports: TransportName[];
  allowUpgrades: boolean;
  perMessageDeflate: false | PerMessageDeflateOptions;
  httpCompression: false | { threshold: number };
  cookie: false | (CookieOptions & { name: string });
  cors: CorsOptions | CorsOptionsDelegate | null;
  allowEIO3: boolean;
  serveClient: boolean;
  initialPacket: string | Buffer | undefined;
  destroyUpgrade: boolean;
  destroyUpgradeTimeout: number;
}

/** Applies socket.io's defaults. */
export function resolveEngineOptions(options: EngineOptions, defaultPath = '/engine.io'): ResolvedEngineOptions {
  const path = (options.path ?? defaultPath).replace(/\/$/, '');
  return {
    path,
    pathPrefix: options.addTrailingSlash === false ? path : path + '/',
    pingInterval: options.pingInterval ?? 25000,
    pingTimeout: options.pingTimeout ?? 20000,
    upgradeTimeout: options.upgradeTimeout ?? 10000,
    maxHttpBufferSize: options.maxHttpBufferSize ?? 1e6,
    allowRequest: options.allowRequest ?? null,
    transports: options.transports ?? ['polling', 'websocket'],
    allowUpgrades: options.allowUpgrades ?? true,
    perMessageDeflate: resolveDeflate(options.perMessageDeflate),
    httpCompression: resolveHttpCompression(options.httpCompression),
    cookie: resolveCookie(options.cookie),
    cors: options.cors ?? null,
    allowEIO3: options.allowEIO3 === true,
    serveClient: options.serveClient ?? false,
    initialPacket: options.initialPacket,
    destroyUpgrade: options.destroyUpgrade ?? true,
    destroyUpgradeTimeout: options.destroyUpgradeTimeout ?? 1000,
  };
}

function resolveDeflate(value: EngineOptions['perMessageDeflate']): false | PerMessageDeflateOptions {
  if (!value) return false;
  return { threshold: 1024, ...(value === true ? {} : value) };
}

function resolveHttpCompression(value: EngineOptions['httpCompression']): false | { threshold: number } {
  if (value === false) return false;
  return { threshold: 1024, ...(typeof value === 'object' ? value : {}) };
}

function resolveCookie(value: EngineOptions['cookie']): ResolvedEngineOptions['cookie'] {
  if (!value) return false;
  return { name: 'io', path: '/', httpOnly: true, sameSite: 'lax', ...(value === true ? {} : value) };
}

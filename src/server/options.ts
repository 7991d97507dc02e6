/**
 * `ServerOptions`: the Socket.IO-level options plus the Engine.IO ones (protocol.md §4.3).
 * @module
 */
import type { EngineOptions } from '../engine';
import type { AdapterConstructor } from './adapter/adapter';

/** Options of `new Server(...)`, with socket.io's names and defaults. */
export interface ServerOptions extends EngineOptions {
  /** Endpoint path. Default `/socket.io`. */
  path?: string;
  /** Serve the official client bundle under `path`. Default true (needs `socket.io-client` installed). */
  serveClient?: boolean;
  /** Adapter constructor; default the in-memory adapter. */
  adapter?: AdapterConstructor;
  /** ms a connection may stay without any namespace. Default 45000. */
  connectTimeout?: number;
  /** Remove child namespaces of a dynamic namespace once empty. Default false. */
  cleanupEmptyChildNamespaces?: boolean;
  /** Binary attachments allowed in one packet. Default 10. */
  maxAttachments?: number;
  /** CORS options (applied to the Engine.IO endpoint). */
  cors?: CorsOptions;
}

/** A CORS origin rule: `*`, a string, a list, a RegExp or a function. */
export type CorsOrigin =
  | boolean
  | string
  | RegExp
  | (string | RegExp)[]
  | ((
      origin: string | undefined,
      callback: (
        err: Error | null,
        origin?: boolean | string | RegExp | (string | RegExp)[],
      ) => void,
    ) => void);

/** CORS options, as the `cors` package names them. */
export interface CorsOptions {
  origin?: CorsOrigin;
  methods?: string | string[];
  allowedHeaders?: string | string[];
  exposedHeaders?: string | string[];
  credentials?: boolean;
  maxAge?: number;
  preflightContinue?: boolean;
  optionsSuccessStatus?: number;
}

/**
 * `ServerOptions`: the Socket.IO-level options plus the Engine.IO ones (docs/internals/wire-protocol.md, "Options and defaults").
 * @module
 */
import type { EngineOptions } from '../engine';
import type { ParserModule } from '../protocol';
import type { AdapterConstructor } from './adapter/adapter';
import type { ServerLimitOptions } from './limits';
import type { ConnectionStateRecoveryOptions } from './recovery/options';

export type { CorsOptions, CorsOptionsDelegate, CorsOrigin } from '../engine';

/**
 * Options of `new Server(...)`, with socket.io's names and defaults. The Engine.IO options
 * (`pingInterval`, `maxHttpBufferSize`, `cors`, `transports`, ...) are passed to the engine.
 */
export interface ServerOptions extends EngineOptions, ServerLimitOptions {
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
  /**
   * A custom parser: a module shaped like socket.io-parser, `{ Encoder, Decoder }`, e.g.
   * `require('socket.io-msgpack-parser')`. Clients must use the same one. Default: wiregate's own
   * codec of the standard format. `maxAttachments` applies to the default codec only.
   */
  parser?: ParserModule;
  /**
   * Connection state recovery (socket.io 4.6+): a client that lost its connection abnormally
   * and comes back within `maxDisconnectionDuration` gets its socket id, rooms, `socket.data`
   * and the packets it missed, and `socket.recovered` is true. Off by default. With it on and
   * no `adapter` given, the in-memory adapter keeps sessions and packets (bounded by
   * `maxSessions` / `maxPackets`); docs/socket-layer.md, "Connection state recovery".
   * @example new Server({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } })
   */
  connectionStateRecovery?: ConnectionStateRecoveryOptions;
}

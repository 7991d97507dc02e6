/**
 * wiregate: everything a user imports.
 * @module
 */
export { WiregateError, ERROR_CODES } from './shared/errors';
export type { ErrorCode } from './shared/errors';

// ---- socket layer (src/server) ----
export {
  Server,
  Namespace,
  ParentNamespace,
  Socket,
  BroadcastOperator,
  RemoteSocket,
  InMemoryAdapter,
  SessionAwareAdapter,
  EngineServer,
  EngineSession,
} from './server';
export type {
  ServerOptions,
  CorsOptions,
  CorsOrigin,
  CorsOptionsDelegate,
  EngineOptions,
  ConnectionErrorEvent,
  ExtendedError,
  NamespaceMiddleware,
  NamespaceMatcher,
  SocketMiddleware,
  Event,
  Connection,
  AnyListener,
  DisconnectReason,
  Handshake,
  Room,
  SocketId,
  BroadcastFlags,
  BroadcastOptions,
  SocketDetails,
  AdapterConstructor,
  DefaultEventsMap,
  EventsMap,
  EventNames,
  EventParams,
} from './server';

// The shape the `parser` option takes (socket.io-parser, socket.io-msgpack-parser, ...).
export type { ParserModule, ParserEncoder, ParserDecoder } from './protocol';

// ---- gateway framework (src/framework) ----
export * from './framework';

/**
 * The socket layer's public surface: the only path other layers import.
 * @module
 */
export { Server } from './server';
export type { ServerListenEvent, ServerListener, ServerReservedEvents } from './server-emitter';
export { Namespace } from './namespace';
export type { ExtendedError, NamespaceMiddleware, NamespaceReservedEvents } from './namespace';
export { ParentNamespace } from './parent-namespace';
export type { NamespaceMatcher } from './parent-namespace';
export { Socket } from './socket';
export type { AnyListener, Event, SocketMiddleware } from './socket-hooks';
export type { Connection } from './connection';
export { BroadcastOperator } from './broadcast-operator';
export { RemoteSocket } from './remote-socket';
export { InMemoryAdapter } from './adapter/in-memory-adapter';
export { SessionAwareAdapter } from './recovery/session-aware-adapter';
export type { ConnectionStateRecoveryOptions } from './recovery/options';
export type { PersistedSession, RestoredSession } from './recovery/session';
export type { SessionStoreStats } from './recovery/session-store';
export type {
  AdapterConstructor,
  AdapterNamespace,
  AdapterSocket,
  BroadcastFlags,
  BroadcastOptions,
  EncodedPacket,
  HandshakeDetails,
  Room,
  SocketDetails,
  SocketId,
} from './adapter/adapter';
export type { Handshake } from './handshake';
export type { DisconnectReason, SocketReservedEvents } from './reasons';
export type { ServerOptions, CorsOptions, CorsOptionsDelegate, CorsOrigin } from './options';
export type { ServerLimitOptions } from './limits';
export { DEFAULT_MAX_NAMESPACES_PER_CONNECTION, DEFAULT_MAX_PENDING_ACKS } from './limits';
export type {
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventsMap,
  EventNames,
  EventParams,
} from './typed-events';
export { EngineServer, EngineSession } from '../engine';
export type { EngineOptions, ConnectionErrorEvent } from '../engine';

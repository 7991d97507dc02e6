/**
 * The Engine.IO layer's public surface.
 * @module
 */
export { EngineServer } from './engine-server';
export type { ConnectionErrorEvent, EngineMiddleware } from './engine-server';
export { EngineSession } from './session';
export type { SessionCloseReason, SendOptions, EngineProtocol } from './session';
export { resolveEngineOptions } from './options';
export { DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_CONNECTIONS } from './limits';
export type { EngineLimitOptions, EngineLimits } from './limits';
export type { EngineOptions, CookieOptions, ResolvedEngineOptions } from './options';
export type { CorsOptions, CorsOptionsDelegate, CorsOrigin, CorsOriginValue } from './cors';
export type { TransportName } from './transports/transport';
export { Transport } from './transports/transport';

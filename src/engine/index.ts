/**
 * The Engine.IO layer's public surface.
 * @module
 */
export { EngineServer } from './engine-server';
export type { ConnectionErrorEvent, EngineMiddleware } from './engine-server';
export { EngineSession } from './session';
export type { SessionCloseReason, SendOptions } from './session';
export { resolveEngineOptions } from './options';
export type { EngineOptions, CookieOptions, ResolvedEngineOptions } from './options';
export type { CorsOptions, CorsOptionsDelegate, CorsOrigin, CorsOriginValue } from './cors';
export type { TransportName } from './transports/transport';
export { Transport } from './transports/transport';

/**
 * Engine-level limits that keep one client, or too many of them, from growing the server
 * without bound: connections per server and the per-session outgoing buffer (docs/limits.md).
 * @module
 */
import { WiregateError } from '../shared/errors';
import type { EngineRefusal } from './handshake';

/** Limit options of the Engine.IO layer (part of `ServerOptions`). */
export interface EngineLimitOptions {
  /**
   * Most open sessions at once. A new session beyond it is refused: HTTP 503 with
   * `{"code":3,"message":"Server full"}` (a WebSocket gets the 503 before the upgrade).
   * Default 0: unlimited.
   */
  maxConnections?: number;
  /**
   * Most bytes that may wait to be written to one client (transport backlog plus queued
   * packets). Volatile packets are dropped as soon as anything waits; a packet sent while
   * more than this waits closes the session with reason `slow consumer`.
   * Default 1 MiB (1048576); 0 = unlimited.
   */
  maxBufferedBytes?: number;
}

/** Default of `maxConnections`: unlimited. */
export const DEFAULT_MAX_CONNECTIONS = 0;
/** Default of `maxBufferedBytes`: 1 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

/** Limits after defaults; `Infinity` stands for "unlimited". */
export interface EngineLimits {
  maxConnections: number;
  maxBufferedBytes: number;
}

/** HTTP status of the "server full" refusal. */
export const SERVER_FULL_STATUS = 503;
const SERVER_FULL_NAME = 'SERVER_FULL';

/**
 * Resolves the limit options; 0 (or a missing value) means unlimited where the default is.
 * @throws WiregateError `WG_ERR_INVALID_ARGUMENT` when a limit is negative or not a number.
 */
export function resolveEngineLimits(options: EngineLimitOptions): EngineLimits {
  return {
    maxConnections: limitOf('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS),
    maxBufferedBytes: limitOf(
      'maxBufferedBytes',
      options.maxBufferedBytes,
      DEFAULT_MAX_BUFFERED_BYTES,
    ),
  };
}

/** Whether another session may not open now. */
export function isServerFull(openSessions: number, limits: EngineLimits): boolean {
  return openSessions >= limits.maxConnections;
}

/** The refusal of an opening request when the server is full (`connection_error` gets it too). */
export function serverFullRefusal(limits: EngineLimits): EngineRefusal {
  return {
    code: 3,
    message: 'Server full',
    context: { name: SERVER_FULL_NAME, maxConnections: limits.maxConnections },
  };
}

/** HTTP status of a refusal: 503 when full, 403 for code 4 (Forbidden), 400 otherwise (docs/internals/wire-protocol.md, "Request checks and refusals"). */
export function refusalStatus(refused: EngineRefusal): number {
  if (refused.context.name === SERVER_FULL_NAME) return SERVER_FULL_STATUS;
  return refused.code === 4 ? 403 : 400;
}

/** Status line of a refused upgrade: `503 Service Unavailable` when full, `400 Bad Request` otherwise. */
export function refusalStatusLine(refused: EngineRefusal): string {
  return refused.context.name === SERVER_FULL_NAME ? '503 Service Unavailable' : '400 Bad Request';
}

/**
 * Whether a session whose backlog is `buffered` bytes must be closed as a slow consumer
 * before it takes one more packet. Checked before queuing, so a single packet larger
 * than the limit still reaches a client that kept up; memory per session stays under
 * `limit + one packet`.
 */
export function isSlowConsumer(buffered: number, limit: number): boolean {
  return buffered > limit;
}

/** Size counted for one queued packet: bytes for binary, UTF-16 units for text (≈ bytes for ASCII). */
export function queuedSize(data: string | Buffer | undefined): number {
  return data === undefined ? 1 : data.length + 1;
}

function limitOf(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
    throw new WiregateError(
      'WG_ERR_INVALID_ARGUMENT',
      `${name} must be a non-negative number (0 = unlimited), got ${String(value)}`,
    );
  }
  return v === 0 ? Infinity : v;
}

/** The description a `slow consumer` close carries (`disconnect`'s second argument). */
export function slowConsumerError(limit: number): WiregateError {
  return new WiregateError(
    'WG_ERR_SLOW_CONSUMER',
    `client is not reading: more than ${limit} bytes waiting`,
  );
}

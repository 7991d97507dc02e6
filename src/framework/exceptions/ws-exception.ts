/**
 * The error class whose code, message and details reach the client as they are.
 * @module
 */
import { WS_ERROR_CODES } from './error-codes';
import type { WsErrorBody } from '../interfaces/reply';

/** Options of a `WsException`. */
export interface WsExceptionOptions {
  /** Stable code the client can branch on (default `WG_ERR_WS_EXCEPTION`). */
  code?: string;
  /** Extra data for the client. */
  details?: unknown;
  /** The underlying error, kept server-side only. */
  cause?: unknown;
}

/**
 * Throw from a guard, pipe, interceptor or handler to answer the client with this code
 * and message. Any other error becomes `WG_ERR_INTERNAL` with a generic message.
 *
 * @example
 * throw new WsException('Room is full', { code: 'ROOM_FULL', details: { roomId } });
 */
export class WsException extends Error {
  /** The code sent to the client. */
  readonly code: string;
  /** Extra data sent to the client, if any. */
  readonly details: unknown;

  constructor(message: string, options: WsExceptionOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WsException';
    this.code = options.code ?? WS_ERROR_CODES.WS_EXCEPTION;
    this.details = options.details;
  }

  /** The body sent to the client. */
  toBody(): WsErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

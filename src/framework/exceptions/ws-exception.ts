/**
 * The error class whose code, message and details reach the client as they are.
 * @module
 */
import { WS_ERROR_CODES } from './error-codes';
import type { WsErrorBody } from '../interfaces/reply';

/** Options of a `WsException`. */
export interface WsExceptionOptions {
  /** Stable code the client can branch on (default: the error object's `code`, else `WG_ERR_WS_EXCEPTION`). */
  code?: string;
  /** Extra data for the client (default: the error object's other keys). */
  details?: unknown;
  /** The underlying error, kept server-side only. */
  cause?: unknown;
}

/**
 * Throw from a guard, pipe, interceptor or handler to answer the client with this code
 * and message. Any other error becomes `WG_ERR_INTERNAL` with a generic message.
 *
 * As in NestJS, the error may be a string or an object: `getError()` returns it as
 * given, and NestJS's error replies (`createApp({ errors: 'nestjs' })`) send an object
 * as it is. In wiregate's replies an object's `message` and `code` (when strings) are the
 * body's, its other keys the `details`.
 *
 * @example
 * throw new WsException('Room is full', { code: 'ROOM_FULL', details: { roomId } });
 * throw new WsException({ message: 'Room is full', roomId });
 */
export class WsException extends Error {
  /** The code sent to the client. */
  readonly code: string;
  /** Extra data sent to the client, if any. */
  readonly details: unknown;
  /** The string or object the exception was built with. */
  private readonly error: string | object;

  constructor(error: string | object, options: WsExceptionOptions = {}) {
    super(
      messageOf(error, new.target),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'WsException';
    this.error = error;
    const fields =
      typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : null;
    this.code =
      options.code ??
      (typeof fields?.code === 'string' ? fields.code : WS_ERROR_CODES.WS_EXCEPTION);
    this.details =
      options.details !== undefined || fields === null ? options.details : rest(fields);
  }

  /** The string or object given to the constructor (NestJS's accessor). */
  getError(): string | object {
    return this.error;
  }

  /** The body sent to the client in wiregate's error replies. */
  toBody(): WsErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** A string is the message; an object's string `message` is; else the class name in words, as NestJS does. */
function messageOf(error: unknown, cls: { name: string }): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  return (cls.name.match(/[A-Z][a-z]+|[0-9]+/g) ?? [cls.name]).join(' ');
}

/** The object's keys besides `code` and `message`, or `undefined` when there are none. */
function rest(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(fields)) {
    if (key === 'code' || key === 'message') continue;
    out[key] = fields[key];
    any = true;
  }
  return any ? out : undefined;
}

/**
 * NestJS's error reply: what `@nestjs/websockets` emits as the `exception` event.
 * @module
 */
import { INTERNAL_MESSAGE } from './error-codes';
import { WsException } from './ws-exception';
import { WsForbiddenException } from './forbidden-exception';

/** The message NestJS sends when a guard refuses. */
const NEST_FORBIDDEN_MESSAGE = 'Forbidden resource';

/** What an error happened on: NestJS's `cause` (`{ pattern, data }` by default). */
export interface ErrorCause {
  pattern: string;
  data: unknown;
}

/** Options of NestJS's error payload (those of `BaseWsExceptionFilter`). */
export interface NestErrorOptions {
  /** Add `cause` to string errors and unknown errors (default `true`). */
  includeCause?: boolean;
  /** Builds `cause` (default `(pattern, data) => ({ pattern, data })`). */
  causeFactory?: (pattern: string, data: unknown) => unknown;
}

/** The payload, and whether the error was unknown (to be logged, never described). */
export interface NestErrorPayload {
  payload: unknown;
  unknown: boolean;
}

/**
 * A `WsException` with an object error sends the object as it is; with a string,
 * `{ status: 'error', message, cause }`; anything else `{ status: 'error', message:
 * 'Internal server error', cause }`.
 */
export function nestErrorPayload(
  exception: unknown,
  cause: ErrorCause,
  options: NestErrorOptions = {},
): NestErrorPayload {
  const includeCause = options.includeCause ?? true;
  const withCause = (message: unknown): Record<string, unknown> => {
    const payload: Record<string, unknown> = { status: 'error', message };
    if (includeCause)
      payload.cause = (options.causeFactory ?? defaultCause)(cause.pattern, cause.data);
    return payload;
  };
  if (!(exception instanceof WsException))
    return { payload: withCause(INTERNAL_MESSAGE), unknown: true };
  const error = exception.getError();
  if (typeof error === 'object' && error !== null) return { payload: error, unknown: false };
  // Our guard refusal carries our message; NestJS's guard refusal says this.
  const message =
    exception instanceof WsForbiddenException && error === 'Forbidden'
      ? NEST_FORBIDDEN_MESSAGE
      : error;
  return { payload: withCause(message), unknown: false };
}

function defaultCause(pattern: string, data: unknown): ErrorCause {
  return { pattern, data };
}

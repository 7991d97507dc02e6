/**
 * Codes of the errors the framework sends to clients (docs/errors.md, "Framework errors").
 * @module
 */

/** Every code the framework itself puts in a `WsErrorBody`. */
export const WS_ERROR_CODES = {
  /** A DTO failed validation; `details` lists every failing property. */
  VALIDATION: 'WG_ERR_VALIDATION',
  /** A guard returned `false`. */
  FORBIDDEN: 'WG_ERR_FORBIDDEN',
  /** A pipe rejected a value (`ParseIntPipe` and friends). */
  BAD_REQUEST: 'WG_ERR_BAD_REQUEST',
  /** A guard, pipe, interceptor or handler did not settle within `handlerTimeout`. */
  HANDLER_TIMEOUT: 'WG_ERR_HANDLER_TIMEOUT',
  /** Anything that is not a `WsException`; the real error is logged, never sent. */
  INTERNAL: 'WG_ERR_INTERNAL',
  /** Default code of a `WsException` constructed without one. */
  WS_EXCEPTION: 'WG_ERR_WS_EXCEPTION',
} as const;

/** The message sent for errors the client must not see the details of. */
export const INTERNAL_MESSAGE = 'Internal server error';

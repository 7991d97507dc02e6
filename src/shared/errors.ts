/**
 * The error catalogue: every error wiregate raises carries one of these codes.
 * Each code has a section in docs/errors.md.
 * @module
 */

/** Every error code wiregate can raise, with the message template it uses. */
export const ERROR_CODES = {
  WG_ERR_INVALID_ARGUMENT: 'Invalid argument',
  WG_ERR_RESERVED_EVENT: 'Reserved event name',
  WG_ERR_PROTOCOL: 'Protocol violation',
  WG_ERR_ACK_TIMEOUT: 'Acknowledgement timed out',
  WG_ERR_SERVER_NOT_RUNNING: 'Server is not running',
  WG_ERR_NOT_SUPPORTED: 'Operation not supported',
  WG_ERR_BOOTSTRAP: 'Bootstrap failed',
  WG_ERR_TOO_MANY_NAMESPACES: 'Too many namespaces',
  WG_ERR_TOO_MANY_ACKS: 'Too many pending acknowledgements',
  WG_ERR_SLOW_CONSUMER: 'Slow consumer',
  WG_ERR_UNKNOWN_EVENT: 'Unknown event',
} as const;

/** A code from the catalogue. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Base class of every error wiregate throws on purpose.
 *
 * @example
 * try { io.emit('connect'); } catch (err) {
 *   if (err instanceof WiregateError) console.log(err.code); // WG_ERR_RESERVED_EVENT
 * }
 */
export class WiregateError extends Error {
  /** The catalogue code, stable across versions. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = ERROR_CODES[code], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WiregateError';
    this.code = code;
  }
}

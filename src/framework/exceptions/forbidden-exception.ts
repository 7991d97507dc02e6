/**
 * The error raised when a guard returns `false`.
 * @module
 */
import { WS_ERROR_CODES } from './error-codes';
import { WsException } from './ws-exception';

/** Sent when a guard refuses without throwing its own exception. */
export class WsForbiddenException extends WsException {
  constructor(message = 'Forbidden') {
    super(message, { code: WS_ERROR_CODES.FORBIDDEN });
    this.name = 'WsForbiddenException';
  }
}

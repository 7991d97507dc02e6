/**
 * The one error the Socket.IO codec throws for bad input (docs/internals/code-style.md, "One boundary per layer").
 * @module
 */
import { WiregateError } from '../shared/errors';

/**
 * A Socket.IO packet (or attachment sequence) that the decoder refuses.
 *
 * The message is the reference decoder's message, word for word (docs/internals/wire-protocol.md, "Protocol violations"): applications
 * see it as the socket `error` event, and existing code matches on it.
 *
 * @example
 * try { decodeText('42{}'); } catch (err) {
 *   if (err instanceof ProtocolError) console.log(err.code, err.message); // WG_ERR_PROTOCOL invalid payload
 * }
 */
export class ProtocolError extends WiregateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WG_ERR_PROTOCOL', message, options);
    this.name = 'ProtocolError';
  }
}

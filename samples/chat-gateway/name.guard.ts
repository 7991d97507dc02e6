/**
 * The chat's only authentication: a display name in the handshake,
 * `io(url, { auth: { name: 'ann' } })`.
 * @module
 */
import { WsException, type CanActivate, type ExecutionContext } from 'wiregate';

/** Longest display name accepted. */
export const MAX_NAME_LENGTH = 24;

/**
 * On the gateway class, so it runs when a client connects (a refusal is the client's
 * `connect_error`) and again before every message. It stores the trimmed name in
 * `socket.data.name` for the handlers.
 */
export class NameGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    // Per message, the name stored at connection is enough.
    if (context.type === 'message') return typeof context.socket.data.name === 'string';
    const raw: unknown = context.handshake.auth.name;
    const name = typeof raw === 'string' ? raw.trim() : '';
    if (name === '' || name.length > MAX_NAME_LENGTH) {
      throw new WsException(`Pick a name of 1 to ${MAX_NAME_LENGTH} characters`, {
        code: 'NAME_REQUIRED',
      });
    }
    context.socket.data.name = name;
    return true;
  }
}

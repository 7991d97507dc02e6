/**
 * Lets a client in when it brings a name: `io(url, { auth: { name: 'alice' } })`.
 * @module
 */
import type { CanActivate, ExecutionContext } from 'wiregate';
import { WsException } from 'wiregate';

export class NameGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const name: unknown = context.handshake.auth.name;
    if (typeof name !== 'string' || !/^\S{1,24}$/.test(name)) {
      throw new WsException('Connect with auth: { name } (1 to 24 characters, no spaces)', {
        code: 'NAME_REQUIRED',
      });
    }
    return true;
  }
}

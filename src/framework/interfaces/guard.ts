/**
 * The guard contract.
 * @module
 */
import type { ExecutionContext } from './execution-context';

/**
 * Decides whether a connection or message may proceed. Returning `false` refuses with
 * `WG_ERR_FORBIDDEN`; throwing a `WsException` refuses with that exception's code.
 *
 * @example
 * class SessionGuard implements CanActivate {
 *   canActivate(ctx: ExecutionContext) { return typeof ctx.handshake.auth.token === 'string'; }
 * }
 */
export interface CanActivate {
  canActivate(context: ExecutionContext): boolean | Promise<boolean>;
}
